from django.urls import path

from ipcity.protection import credit_views, mediation_views, views

app_name = "protection"
urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("credit/", credit_views.credit, name="credit"),
    path("trade-secrets/", views.trade_secrets, name="trade_secrets"),
    path("mediations/", mediation_views.mediations, name="mediations"),
    path("mediations/<int:pk>/", mediation_views.mediation, name="mediation"),
    path("credit/export.<str:fmt>", credit_views.credit_export, name="credit_export"),
]
