from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Medical internships directory"
admin.site.site_title = "Directory admin"
admin.site.index_title = "Keep the listings true"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
]
