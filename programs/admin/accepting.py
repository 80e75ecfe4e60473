"""Accepting a reader's correction happens in the programme's own change form.

The inbox's *Accept* (admin/suggestions.py) makes the report a `Source` and opens
`/admin/programs/programme/<id>/change/?suggestion=<n>`. On that page (GET) the form is filled
with the proposal: the programme cites the report as its source, the proposed words are in the
note they correct (pay, length, how to apply), and a proposed deadline date is a new dated
deadline row citing the report. The adviser checks and edits everything, then saves; the form
posts to the same address, so saving closes the suggestion as accepted by that adviser
(`outcome.accept`) in the same transaction, and each sender who confirmed an address is told.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from programs.models import DatedDeadline, Programme, Suggestion
from programs.suggestions import outcome

PARAMETER = "suggestion"
ACCEPTED = "_directory_accepted_suggestion"
Fact = Suggestion.Fact
# The programme field a fact's proposed words are put into (the adviser edits them before saving).
NOTE_FIELD = {Fact.PAY: "pay_note", Fact.LENGTH: "duration_note", Fact.HOW_TO_APPLY: "how_to_apply"}


def prefill(suggestion: Suggestion) -> tuple[dict, dict | None]:
    """(the programme form's initial values, a new dated deadline row's or None); the
    suggestion's report (`outcome.report_for`) exists: `being_accepted` asks for it."""
    initial: dict = {"source": suggestion.source_id}
    if suggestion.fact in NOTE_FIELD:
        initial[NOTE_FIELD[Fact(suggestion.fact)]] = suggestion.proposed
    row = None
    if suggestion.fact == Fact.DEADLINE and suggestion.proposed_date:
        day = suggestion.proposed_date
        row = {"date": day, "cycle": day.year, "source": suggestion.source_id}
    return initial, row


def with_duplicates(closed: list[Suggestion]) -> str:
    """ " with 2 duplicate(s)" for a message about a decision, or nothing."""
    return f" with {len(closed) - 1} duplicate(s)" if len(closed) > 1 else ""


def being_accepted(request: HttpRequest, programme: Programme | None) -> Suggestion | None:
    """The open correction this change form was opened to accept, if any."""
    value = request.GET.get(PARAMETER, "")
    if programme is None or not value.isdigit() or len(value) > 12:
        return None
    return (
        Suggestion.objects.open()
        .filter(
            pk=int(value),
            programme=programme,
            kind=Suggestion.Kind.CORRECTION,
            source__isnull=False,
        )
        .first()
    )


class AcceptsSuggestionMixin(admin.ModelAdmin):
    """On ProgrammeAdmin: the change form as the module's docstring describes."""

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        suggestion = being_accepted(request, obj) if request.method == "GET" else None
        if suggestion is None:
            return form
        initial, _ = prefill(suggestion)

        class Prefilled(form):  # type: ignore[valid-type, misc]
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.loaded_initial = dict(self.initial)  # what is stored (admin/edit_state.py)
                self.initial.update({k: v for k, v in initial.items() if k in self.fields})

        return Prefilled

    def get_inline_instances(self, request: HttpRequest, obj=None):
        inlines = super().get_inline_instances(request, obj)
        suggestion = being_accepted(request, obj) if request.method == "GET" else None
        if suggestion is not None and prefill(suggestion)[1] is not None:
            for inline in inlines:  # new instances on every request
                if inline.model is DatedDeadline:
                    inline.extra = 1
        return inlines

    def get_formset_kwargs(self, request: HttpRequest, obj, inline, prefix: str) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if request.method == "GET" and inline.model is DatedDeadline:
            suggestion = being_accepted(request, obj)
            row = prefill(suggestion)[1] if suggestion is not None else None
            if row is not None:
                kwargs["initial"] = [row]
        return kwargs

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        suggestion = being_accepted(request, form.instance)
        if suggestion is not None:
            closed = outcome.accept(suggestion, request.user, form.instance)
            messages.success(
                request,
                f"Suggestion {suggestion.pk} accepted{with_duplicates(closed)}: the programme "
                "cites the report, and each sender who confirmed an address will be told.",
            )
            vars(request)[ACCEPTED] = True

    def response_change(self, request: HttpRequest, obj):
        response = super().response_change(request, obj)
        if getattr(request, ACCEPTED, False) and isinstance(response, HttpResponseRedirect):
            if "_continue" not in request.POST:
                return HttpResponseRedirect(reverse("admin:programs_suggestion_changelist"))
            return HttpResponseRedirect(reverse("admin:programs_programme_change", args=[obj.pk]))
        return response
