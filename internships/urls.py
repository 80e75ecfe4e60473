from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from programs.publishing.sitemaps import SITEMAPS

handler500 = "programs.views.errors.server_error"

admin.site.site_header = "Medical internships directory"
admin.site.site_title = "Directory admin"
admin.site.index_title = "Keep the listings true"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    # An index of sections, each split into pages of at most 10,000 URLs.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
]
