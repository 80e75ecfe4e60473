from django.urls import path

from .views import listing, pages

app_name = "programs"

urlpatterns = [
    path("", listing.home, name="home"),
    path("programmes/", listing.programme_list, name="list"),
    path("programmes/<slug:slug>/", pages.programme_detail, name="detail"),
    path("destinations/", pages.destination_list, name="destinations"),
    path("destinations/<slug:slug>/", pages.region_detail, name="region"),
    path("guides/", pages.guide_list, name="guides"),
    path("guides/<slug:slug>/", pages.guide_detail, name="guide"),
]
