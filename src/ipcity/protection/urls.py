from django.urls import path

from ipcity.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.home, name="home"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
]
