from django.urls import path

from ipcity.operations import (
    brand_views,
    center_views,
    cluster_views,
    community_views,
    finance_views,
    navigation_views,
    views,
)

app_name = "operations"
urlpatterns = [
    path("", views.home, name="home"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/import/", views.offer_import, name="offer_import"),
    path("offers/<int:pk>/", views.offer_detail, name="offer"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("interests/", views.interests, name="interests"),
    path("events/", community_views.events, name="events"),
    path("finance/", finance_views.finance, name="finance"),
    path("brands/", brand_views.brands, name="brands"),
    path("alliance/", community_views.alliance, name="alliance"),
    path("products/", community_views.products, name="products"),
    path("navigation/", navigation_views.navigation_list, name="navigation_list"),
    path("navigation/<int:pk>/", navigation_views.navigation_detail, name="navigation"),
    path("portfolios/", navigation_views.portfolio_list, name="portfolios"),
    path("portfolios/<int:pk>/", navigation_views.portfolio_detail, name="portfolio"),
    path("centers/", center_views.centers, name="centers"),
    path("clusters/", cluster_views.clusters, name="clusters"),
    path("clusters/<int:pk>/", cluster_views.cluster_detail, name="cluster"),
]
