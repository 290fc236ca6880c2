from django.urls import path

from ipcity.protection import (
    assistance_views,
    case_views,
    conduct_views,
    credit_views,
    mediation_views,
    result_views,
    views,
)

app_name = "protection"
urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/results/", result_views.inspection_results, name="inspection_results"),
    path("agency-conduct/", conduct_views.agency_conduct, name="agency_conduct"),
    path("credit/", credit_views.credit, name="credit"),
    path("trade-secrets/", views.trade_secrets, name="trade_secrets"),
    path("mediations/", mediation_views.mediations, name="mediations"),
    path("cases/", case_views.cases, name="cases"),
    path("assistance/", assistance_views.assistance, name="assistance"),
    path("markets/", assistance_views.markets, name="markets"),
    path("cases/<int:pk>/", case_views.case, name="case"),
    path("mediations/<int:pk>/", mediation_views.mediation, name="mediation"),
    path("credit/export.<str:fmt>", credit_views.credit_export, name="credit_export"),
]
