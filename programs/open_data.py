"""What the directory publishes for machines: JSON-LD, exports with a stable column set, a
sitemap and an Atom feed. Column names and their order are a public contract (see README)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from programs.deadlines import DeadlineStatus
from programs.models import GuideTopic, Programme, Region

# Exports: one row per programme, these columns in this order, forever (add, never rename).
EXPORT_COLUMNS = (
    "slug",
    "title",
    "url",
    "organisation",
    "listing_kind",
    "programme_type",
    "delivery",
    "country_codes",
    "countries",
    "pay",
    "duration_min_weeks",
    "duration_max_weeks",
    "deadline_kind",
    "deadline_month",
    "deadline_day",
    "deadline_lead_weeks",
    "start_month",
    "end_month",
    "website",
    "last_verified",
    "updated_at",
    "source_guide",
    "source_section",
)


def for_export(queryset):
    return queryset.select_related("organisation", "source_guide").prefetch_related("countries")


def export_row(programme: Programme, base_url: str) -> dict[str, object]:
    countries = list(programme.countries.all())
    return {
        "slug": programme.slug,
        "title": programme.title,
        "url": base_url + programme.get_absolute_url(),
        "organisation": programme.organisation.name,
        "listing_kind": programme.listing_kind,
        "programme_type": programme.programme_type,
        "delivery": programme.delivery,
        "country_codes": ";".join(c.code for c in countries),
        "countries": ";".join(c.name for c in countries),
        "pay": programme.pay,
        "duration_min_weeks": programme.duration_min_weeks,
        "duration_max_weeks": programme.duration_max_weeks,
        "deadline_kind": programme.deadline_kind,
        "deadline_month": programme.deadline_month,
        "deadline_day": programme.deadline_day,
        "deadline_lead_weeks": programme.deadline_lead_weeks,
        "start_month": programme.start_month,
        "end_month": programme.end_month,
        "website": programme.website,
        "last_verified": programme.last_verified.isoformat() if programme.last_verified else None,
        "updated_at": programme.updated_at.isoformat(),
        "source_guide": programme.source_guide.title,
        "source_section": programme.source_section,
    }


def export_rows(queryset, base_url: str) -> Iterator[dict[str, object]]:
    for programme in for_export(queryset).iterator(chunk_size=2000):
        yield export_row(programme, base_url)


# JSON-LD for the detail page: only facts the page itself shows.

MODES = {"in_person": "onsite", "virtual": "online", "hybrid": "blended"}


def json_ld(programme: Programme, deadline: DeadlineStatus, url: str) -> dict[str, object]:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": programme.title,
        "description": programme.summary,
        "url": url,
        "provider": {"@type": "Organization", "name": programme.organisation.name},
    }
    if programme.delivery in MODES:
        data["educationalProgramMode"] = MODES[programme.delivery]
    countries = [c.name for c in programme.countries.all()]
    if countries:
        data["location"] = [
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressCountry": name}}
            for name in countries
        ]
    weeks = programme.duration_min_weeks or programme.duration_max_weeks
    if weeks:
        data["timeToComplete"] = f"P{weeks}W"
    if deadline.date and deadline.state in ("open", "closed"):
        data["applicationDeadline"] = deadline.date.isoformat()
    rules = [rule.text for rule in programme.eligibility_rules.all()]
    if rules:
        data["programPrerequisites"] = rules
    offers = [
        {
            "@type": "Offer",
            "category": cost.get_kind_display(),
            "price": str(cost.amount_min),
            "priceCurrency": cost.currency,
        }
        for cost in programme.costs.all()
        if cost.amount_min is not None and cost.currency
    ]
    if offers:
        data["offers"] = offers
    if programme.certificate:
        data["educationalCredentialAwarded"] = programme.certificate
    return data


def json_ld_text(data: dict[str, object]) -> str:
    """JSON safe inside <script>: `<`, `>` and `&` escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Sitemap and feed.


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


class ProgrammeFeed(Feed):
    feed_type = Atom1Feed
    title = "Medical internships directory: new and updated programmes"
    subtitle = "Programmes added to or changed in the directory, newest first."
    link = "/programmes/"

    def items(self):
        return (
            Programme.objects.published()
            .select_related("organisation")
            .order_by("-updated_at", "pk")[:50]
        )

    def item_title(self, programme: Programme) -> str:
        return programme.title

    def item_description(self, programme: Programme) -> str:
        return f"{programme.organisation.name}. {programme.summary}"

    def item_pubdate(self, programme: Programme):
        return programme.created_at

    def item_updateddate(self, programme: Programme):
        return programme.updated_at
