from django.urls import path

from ipcity.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/<slug:kind>/", views.new, name="new"),
    path("registrations/<int:pk>/", views.registration, name="registration"),
    path("registrations/<int:pk>/bundle", views.bundle_download, name="bundle"),
    path("registrations/<int:pk>/certificate.pdf", views.certificate_download, name="certificate"),
    path("verify/", views.verify, name="verify"),
    path("stats/", views.stats, name="stats"),
    path("notarizations/", views.notarizations, name="notarizations"),
    path("log/checkpoint", views.checkpoint_text, name="checkpoint"),
    path("log/keys", views.public_keys, name="keys"),
    path("log/tile/<path:path>", views.tile, name="tile"),
]
