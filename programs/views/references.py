"""Numbered references for a page that cites many records: each source gets one number, in the
order the page first cites it, and the page ends with one list of them ("Sources").

A record cites a guide section (`Sourced`, or `CitesSource` with a guide), a `Source` (the
provider's email, website…), or both; a figure worked out elsewhere may cite a source only as text
(an estimate line's or a plan milestone's citation). The same guide section is one reference
however it is cited: its key is its citation text, "Guide title — Section".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from programs.models import Guide, Source


@dataclass(frozen=True)
class Reference:
    number: int
    guide: Guide | None = None  # a guide section: the guide and its section heading
    section: str = ""
    source: Source | None = None  # the provider's email, website, a call or a publication
    text: str = ""  # a citation known only as text

    @property
    def anchor(self) -> str:
        return f"ref-{self.number}"

    def words(self) -> SafeString:
        """The reference as the Sources list says it."""
        if self.guide is not None:
            return format_html(
                "<cite>{}</cite>, section “{}”", self.guide.short_title, self.section
            )
        if self.source is not None:
            said = str(self.source)
            if self.source.url:
                url = self.source.url
                return format_html('{} (<a href="{}" rel="noopener">{}</a>)', said, url, url)
            return format_html("{}", said)
        return format_html("{}", self.text)


def guide_key(guide: Guide, section: str) -> str:
    # As `Sourced.citation` and `CitesSource.citation` write it, so a citation known only as text
    # finds the same reference.
    return f"{guide.title} — {section}"


class References:
    """The page's references, numbered as the template first cites them."""

    def __init__(self, guides: Iterable[Guide | None] = ()) -> None:
        self._by_key: dict[str, Reference] = {}
        # Guides a citation known only as text may name, so "Title — Section" reads as a section.
        self._guides = {guide.title: guide for guide in guides if guide is not None}

    @property
    def items(self) -> list[Reference]:
        return list(self._by_key.values())

    def _add(self, key: str, **what) -> Reference:
        if key not in self._by_key:
            self._by_key[key] = Reference(len(self._by_key) + 1, **what)
        return self._by_key[key]

    def of(self, record: object) -> list[Reference]:
        """A record's references: its guide section, its `Source`, or both; text as itself."""
        if isinstance(record, str):
            return [self._of_text(record)] if record else []
        if isinstance(record, Source):
            return [self._of_source(record)]
        found = []
        guide = getattr(record, "source_guide", None)
        if guide is not None:
            section = record.source_section  # type: ignore[attr-defined]
            found.append(self._add(guide_key(guide, section), guide=guide, section=section))
        source = getattr(record, "source", None)
        if isinstance(source, Source):
            found.append(self._of_source(source))
        return found

    def _of_text(self, text: str) -> Reference:
        title, _, section = text.partition(" — ")
        guide = self._guides.get(title)
        if guide is not None and section:
            return self._add(text, guide=guide, section=section)
        return self._add(text, text=text)

    def _of_source(self, source: Source) -> Reference:
        if source.kind == Source.Kind.GUIDE and source.guide is not None:
            key = guide_key(source.guide, source.section)
            return self._add(key, guide=source.guide, section=source.section)
        # Keyed by its words, as `CitesSource.citation` gives them for a record citing it alone.
        return self._add(str(source), source=source)

    def cite(self, record: object) -> SafeString:
        """The record's reference numbers as superscript links to the Sources list."""
        return format_html_join(
            "",
            '<sup class="ref"><a href="#{}"><span class="visually-hidden">source </span>[{}]</a></sup>',
            ((ref.anchor, ref.number) for ref in self.of(record)),
        )
