from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from programs.open_data import SITEMAPS

admin.site.site_header = "Medical internships directory"
admin.site.site_title = "Directory admin"
admin.site.index_title = "Keep the listings true"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
