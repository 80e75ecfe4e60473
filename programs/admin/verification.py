"""Verified means checked: the list's "Mark verified" opens a page that lists each selected
programme with the sources its facts cite, and stamps only the programmes ticked there.

The public page says "Checked against its source by an adviser" for a verified programme, so a
stamp needs a person's tick per programme, never a selection of rows. Each stamp is one write of
the programme (programs/catalogue/writing.py): its lock, one revision, its version and public
"updated" time moved on, its cached pages replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from programs.catalogue import writing
from programs.core import clock
from programs.models import Cost, DatedDeadline, EligibilityRule, Programme
from programs.models.sources import long_date

from .base import editor_id, format_amount

ACTION = "mark_verified_today"
TICK = "checked"  # the name of each programme's checkbox: its value is the programme's id
CONFIRM = "confirm"


@dataclass(frozen=True)
class Cited:
    """One source a programme's facts cite, with the facts that cite it."""

    words: str  # the source as public pages say it
    facts: tuple[str, ...]  # "the programme's entry", "cost: Programme fee", …
    url: str = ""


@dataclass(frozen=True)
class ToCheck:
    programme: Programme
    change_url: str
    sources: tuple[Cited, ...]
    links: tuple[tuple[str, str], ...]  # (what, address): the pages an adviser checks against
    ticked: bool


def _citation_words(record) -> str:
    """A record's own source in words: its `Source`, else its guide section, else ""."""
    source = getattr(record, "source", None)
    if source is not None:
        return source.in_words()
    guide = getattr(record, "source_guide", None)
    if guide is not None:
        return f"from the guide {guide.title}, section “{record.source_section}”"
    return ""


def sources_of(programme: Programme) -> tuple[Cited, ...]:
    """The distinct sources the programme's entry, rules, costs and confirmed deadlines cite, in
    the order first cited; a rule or cost citing none follows the programme's guide section."""
    cited: dict[str, list[str]] = {}
    guide = programme.source_guide
    own = f"from the guide {guide.title}, section “{programme.source_section}”" if guide else ""
    if own:
        cited.setdefault(own, []).append("the programme's entry")
    if programme.source is not None:
        cited.setdefault(programme.source.in_words(), []).append("the programme's newer facts")
        own = own or programme.source.in_words()
    facts: list[tuple[str, object]] = [
        *((f"rule: {rule.text}", rule) for rule in programme.eligibility_rules.all()),
        *(
            (f"cost: {cost.get_kind_display()}, {format_amount(cost)}", cost)
            for cost in programme.costs.all()
        ),
        *((f"deadline: {d}", d) for d in programme.dated_deadlines.all()),
    ]
    for fact, record in facts:
        words = _citation_words(record) or own
        cited.setdefault(words or "no source recorded", []).append(fact)
    return tuple(Cited(words, tuple(names)) for words, names in cited.items())


def links_of(programme: Programme) -> tuple[tuple[str, str], ...]:
    checked = programme.application_url_checked_on
    pages = [
        (
            f"Official application page (last checked {long_date(checked)})"
            if checked
            else "Official application page",
            programme.application_url,
        ),
        ("Website", programme.website),
    ]
    return tuple((what, url) for what, url in pages if url)


def for_checking(queryset: QuerySet) -> QuerySet:
    """The selected programmes with every source their facts cite, in a fixed number of queries."""
    chosen = queryset.prefetch_related(None)  # the list's own prefetches, replaced below
    return chosen.select_related("source_guide", "source__guide", "verified_by").prefetch_related(
        Prefetch("costs", queryset=Cost.objects.select_related("source__guide")),
        Prefetch(
            "eligibility_rules", queryset=EligibilityRule.objects.select_related("source__guide")
        ),
        Prefetch("dated_deadlines", queryset=DatedDeadline.objects.select_related("source__guide")),
    )


def ticked_ids(request: HttpRequest) -> set[int]:
    return {int(value) for value in request.POST.getlist(TICK) if value.isdigit()}


def verify_selected(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> TemplateResponse | None:
    """The action: the checking page first; on its confirmation, stamp the ticked programmes."""
    programmes = list(for_checking(queryset))
    ticked = ticked_ids(request) & {p.pk for p in programmes}
    if request.POST.get(CONFIRM) and ticked:
        verified = stamp(request, [p for p in programmes if p.pk in ticked])
        model_admin.message_user(
            request,
            f"Marked {len(verified)} programme(s) as verified today: "
            + ", ".join(p.title for p in verified)
            + ".",
            messages.SUCCESS,
        )
        left = len(programmes) - len(ticked)
        if left:
            model_admin.message_user(
                request,
                f"{left} selected programme(s) were not ticked and keep their last check.",
                messages.WARNING,
            )
        return None
    rows = [
        ToCheck(
            programme,
            reverse("admin:programs_programme_change", args=[programme.pk]),
            sources_of(programme),
            links_of(programme),
            programme.pk in ticked,
        )
        for programme in programmes
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Check each programme against its sources",
        "opts": model_admin.model._meta,
        "rows": rows,
        "action": ACTION,
        "tick": TICK,
        "confirm": CONFIRM,
        "today": clock.today(),
        "nothing_ticked": bool(request.POST.get(CONFIRM)),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/programs/programme/verify.html", context)


def stamp(request: HttpRequest, programmes: list[Programme]) -> list[Programme]:
    """Record the signed-in adviser as having checked each programme today, one write each."""
    today = clock.today()
    verified = []
    for programme in programmes:
        with writing.programme_write(programme.pk, user=request.user) as write:
            if write.programme is not None:
                write.programme.mark_verified(request.user, today)
                verified.append(write.programme)
    if verified:
        LogEntry.objects.log_actions(
            user_id=editor_id(request),
            queryset=verified,
            action_flag=CHANGE,
            change_message=f"Checked against its sources and marked as verified on {today.isoformat()}.",
        )
    return verified
