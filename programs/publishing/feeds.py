"""The Atom feed of any search: the list's own parameters, its programmes' changes newest first.

`/programmes/feed.atom?<list parameters>` holds, for the programmes the list shows with those
parameters (`alerts.query.programmes_for`), one entry per programme that changed in the last
FEED_DAYS: newly listed, a changed deadline (as stated, or confirmed), a changed cost; each entry
says what changed (`alerts.changes`). Without parameters it is the whole directory's feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from programs.alerts import changes, query
from programs.core.text import without_control_characters
from programs.models import Programme

FEED_DAYS = 180
FEED_ENTRIES = 50


@dataclass(frozen=True)
class Search:
    query: QueryDict
    saved: str  # the list's query string, as an alert would keep it


@dataclass(frozen=True)
class Entry:
    programme: Programme
    changes: list[changes.Change]  # newest first

    @property
    def updated(self) -> datetime:
        return self.changes[0].at


def feed_entries(search: QueryDict, now: datetime, limit: int = FEED_ENTRIES) -> list[Entry]:
    """The programmes of this search that changed in the last FEED_DAYS, newest change first."""
    found = query.programmes_for(search)
    ids = (
        [programme.pk for programme in found]
        if isinstance(found, list)
        else found.order_by().values("pk")
    )
    by_programme = changes.changes_between(now - timedelta(days=FEED_DAYS), now, ids)
    newest = sorted(by_programme.items(), key=lambda item: item[1][0].at, reverse=True)[:limit]
    programmes = Programme.objects.select_related("organisation").in_bulk(
        [pid for pid, _ in newest]
    )
    return [Entry(programmes[pid], rows) for pid, rows in newest if pid in programmes]


class ProgrammeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> Search:
        return Search(request.GET, query.saved_query(request.GET))

    def title(self, search: Search) -> str:
        if search.saved:
            return "Medical internships directory: changes to your search"
        return "Medical internships directory: new and updated programmes"

    def subtitle(self, search: Search) -> str:
        return (
            "Programmes newly listed, and changed deadlines and costs, newest first "
            f"(the last {FEED_DAYS} days)."
        )

    def link(self, search: Search) -> str:
        listed = reverse("programs:list")
        return f"{listed}?{search.saved}" if search.saved else listed

    def feed_url(self, search: Search) -> str:
        feed = reverse("programs:feed")
        return f"{feed}?{search.saved}" if search.saved else feed

    def items(self, search: Search) -> list[Entry]:
        return feed_entries(search.query, timezone.now())

    # XML 1.0 cannot carry a control character: one in an older row would make the feed a 500 for
    # every reader (new text refuses them; see `reject_line_breaks`).
    def item_title(self, entry: Entry) -> str:
        return without_control_characters(entry.programme.title)

    def item_link(self, entry: Entry) -> str:
        return entry.programme.get_absolute_url()

    def item_guid(self, entry: Entry) -> str:
        # A new change is a new entry: feed readers show it again.
        return f"{entry.programme.get_absolute_url()}#changed-{entry.updated.isoformat()}"

    def item_description(self, entry: Entry) -> str:
        lines = format_html_join(
            "",
            "<li>{}: {} ({})</li>",
            ((c.label, c.text, f"{c.at:%d %b %Y}") for c in entry.changes),
        )
        organisation = entry.programme.organisation.name
        html = format_html("<p>{}</p><ul>{}</ul>", organisation, lines)
        return without_control_characters(str(html))

    def item_categories(self, entry: Entry) -> list[str]:
        return sorted({change.label for change in entry.changes})

    def item_pubdate(self, entry: Entry) -> datetime:
        return entry.updated

    def item_updateddate(self, entry: Entry) -> datetime:
        return entry.updated
