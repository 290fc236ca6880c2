from django.urls import path

from ipcity.services import (
    agency_views,
    certification_views,
    culture_views,
    expert_views,
    policy_views,
    training_views,
    views,
)

app_name = "services"

urlpatterns = [
    path("", views.home, name="home"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<str:code>/", views.item, name="item"),
    path("items/<str:code>/apply/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/files/<int:attachment_pk>/", views.material, name="material"),
    path("agencies/", agency_views.agencies, name="agencies"),
    path("agencies/<int:pk>/", agency_views.agency, name="agency"),
    path("custody/", agency_views.custody, name="custody"),
    path("certifications/", certification_views.certifications, name="certifications"),
    path("culture/", culture_views.culture, name="culture"),
    path("talent/", culture_views.talent, name="talent"),
    path("experts/", expert_views.experts, name="experts"),
    path("experts/<int:pk>/", expert_views.expert, name="expert"),
    path("open-data/", views.open_data, name="open_data"),
    path("policies/", policy_views.policies, name="policies"),
    path("policies/new/", policy_views.policy_new, name="policy_new"),
    path("policies/applications/", policy_views.policy_applications, name="policy_applications"),
    path("policies/applications/<int:pk>/", policy_views.policy_application, name="policy_application"),
    path("policies/<int:pk>/", policy_views.policy, name="policy"),
    path("policies/<int:pk>/edit/", policy_views.policy_edit, name="policy_edit"),
    path("open-data/<slug:code>.<str:fmt>", views.open_data_download, name="open_data_download"),
    path("trainings/", training_views.trainings, name="trainings"),
    path("trainings/<int:pk>/", training_views.training, name="training"),
    path("trainings/<int:pk>/qr.svg", training_views.training_qr, name="training_qr"),
    path("trainings/<int:pk>/sign-in/", training_views.sign_in_page, name="sign_in"),
]
