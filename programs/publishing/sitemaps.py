"""The sitemap index: static pages, programmes (paged at 10,000 URLs), destinations and guides."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programs.models import GuideTopic, Programme, Region


class StaticSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["programs:home", "programs:list", "programs:destinations", "programs:guides"]

    def location(self, item: str) -> str:
        return reverse(item)


class ProgrammeSitemap(Sitemap):
    limit = 10_000

    def items(self):
        return Programme.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, programme: Programme):
        return programme.updated_at


class RegionSitemap(Sitemap):
    def items(self):
        return Region.objects.order_by("pk")


class GuideSitemap(Sitemap):
    def items(self):
        return GuideTopic.objects.order_by("pk")

    def location(self, topic: GuideTopic) -> str:
        return reverse("programs:guide", kwargs={"slug": topic.slug})


SITEMAPS = {
    "pages": StaticSitemap,
    "programmes": ProgrammeSitemap,
    "destinations": RegionSitemap,
    "guides": GuideSitemap,
}
