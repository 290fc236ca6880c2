from django.urls import path

from ipcity.protection import credit_views, views

app_name = "protection"
urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("credit/", credit_views.credit, name="credit"),
    path("trade-secrets/", views.trade_secrets, name="trade_secrets"),
    path("credit/export.<str:fmt>", credit_views.credit_export, name="credit_export"),
]
