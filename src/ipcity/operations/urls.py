from django.urls import path

from ipcity.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.home, name="home"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/import/", views.offer_import, name="offer_import"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("interests/", views.interests, name="interests"),
]
