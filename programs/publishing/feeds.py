"""The Atom feed of new and updated programmes."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from programs.core.text import without_control_characters
from programs.models import Programme


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

    # XML 1.0 cannot carry a control character: one in an older row would make the feed a 500 for
    # every reader (new text refuses them; see `reject_line_breaks`).
    def item_title(self, programme: Programme) -> str:
        return without_control_characters(programme.title)

    def item_description(self, programme: Programme) -> str:
        return without_control_characters(f"{programme.organisation.name}. {programme.summary}")

    def item_pubdate(self, programme: Programme):
        return programme.created_at

    def item_updateddate(self, programme: Programme):
        return programme.updated_at
