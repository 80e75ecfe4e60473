"""The advisers' inbox of suggestions from readers and providers.

The list shows the first of each group of duplicates, open ones first by default, with how many
people sent the same. A suggestion's page puts the programme's current words beside the proposed
ones; a web address given as evidence is text until the adviser reveals it (then a link that
opens another tab, without the admin as referrer). Its decisions:

- *Accept* (a correction): the report becomes a `Source`, and the programme's change form opens
  filled with the proposal (admin/accepting.py); saving it accepts the suggestion.
- *Make a draft* (a proposal): a draft programme citing the report, then its change form.
- *Reject*, with the reason the sender reads.

Every text a stranger wrote is shown escaped by the templates; nothing here marks it safe.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify

from programs.models import Organisation, Programme, Suggestion
from programs.models.sources import host
from programs.models.suggestions import CAPS
from programs.suggestions import outcome

from .accepting import PARAMETER, with_duplicates
from .base import DirectoryAdmin
from .suggestion_facts import current_value


class StatusFilter(admin.SimpleListFilter):
    """Open suggestions unless another status is chosen: the inbox is what waits for a decision."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin):
        return [*Suggestion.Status.choices, (self.ALL, "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or Suggestion.Status.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or Suggestion.Status.OPEN
        if value == self.ALL:
            return queryset
        if value not in Suggestion.Status.values:
            return queryset.none()
        return queryset.filter(status=value)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the sender if they confirmed an address)",
        max_length=CAPS["reason"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DraftForm(forms.Form):
    """What a programme needs before it can be saved as a draft; the rest is edited afterwards."""

    title = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=120)
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        help_text="Choose the organisation; add it first (Organisations → Add) if it is new.",
    )
    programme_type = forms.ChoiceField(label="Type", choices=Programme.Type.choices)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), help_text="One or two sentences in our own words."
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Programme.objects.filter(slug=slug).exists():
            raise ValidationError("A programme already has this slug: choose another.")
        return slug


def back_to(suggestion: Suggestion) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("admin:programs_suggestion_change", args=[suggestion.pk]))


def draft_initial(suggestion: Suggestion) -> dict:
    named = Organisation.objects.filter(name__iexact=suggestion.organisation_name.strip()).first()
    return {
        "title": suggestion.title,
        "slug": slugify(suggestion.title)[:120],
        "organisation": named.pk if named else None,
    }


@admin.register(Suggestion)
class SuggestionAdmin(DirectoryAdmin):
    list_display = ["received_at", "about", "what", "proposal", "evidence_shown", "sent_by"]
    list_display_links = ["received_at", "about"]
    list_filter = [StatusFilter, "kind", "fact", "evidence"]
    search_fields = ["proposed", "title", "organisation_name", "programme__title"]
    list_select_related = ["programme"]
    date_hierarchy = None
    ordering = ["received_at", "id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Suggestion]:
        # Duplicates are listed on their first suggestion's page (review_page), not in the list.
        open_ones = Q(duplicates__status=Suggestion.Status.OPEN)
        return (
            super()
            .get_queryset(request)
            .filter(duplicate_of__isnull=True)
            .annotate(same=Count("duplicates", filter=open_ones))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # suggestions come from the public forms only

    @admin.display(description="about")
    def about(self, suggestion: Suggestion) -> str:
        return suggestion.about

    @admin.display(description="what")
    def what(self, suggestion: Suggestion) -> str:
        if suggestion.kind == Suggestion.Kind.PROGRAMME:
            return "New programme"
        return suggestion.get_fact_display()

    @admin.display(description="proposed")
    def proposal(self, suggestion: Suggestion) -> str:
        said = suggestion.proposed if suggestion.kind == Suggestion.Kind.CORRECTION else ""
        said = said or suggestion.location
        return said if len(said) <= 80 else f"{said[:79]}…"

    @admin.display(description="evidence")
    def evidence_shown(self, suggestion: Suggestion) -> str:
        if suggestion.evidence_url:
            return f"a page on {host(suggestion.evidence_url)}"  # text, never a link, in lists
        return "the provider's own word"

    @admin.display(description="sent by", ordering="same")
    def sent_by(self, suggestion: Suggestion) -> str:
        others = getattr(suggestion, "same", 0)
        return f"1 + {others} more" if others else "1"

    def get_urls(self):
        own = [
            path(
                "<int:pk>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="programs_suggestion_accept",
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="programs_suggestion_reject",
            ),
            path(
                "<int:pk>/draft/",
                self.admin_site.admin_view(self.draft_view),
                name="programs_suggestion_draft",
            ),
        ]
        return own + super().get_urls()

    def _suggestion(self, request: HttpRequest, pk, change: bool = False) -> Suggestion:
        allowed = self.has_change_permission if change else self.has_view_permission
        if not allowed(request):
            raise PermissionDenied
        queryset = Suggestion.objects.select_related("programme", "decided_by", "source")
        return get_object_or_404(queryset, pk=pk)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        if not str(object_id).isdigit():
            return HttpResponseRedirect(reverse("admin:programs_suggestion_changelist"))
        suggestion = self._suggestion(request, object_id)
        return self.review_page(request, suggestion)

    def review_page(
        self,
        request: HttpRequest,
        suggestion: Suggestion,
        reject_form: RejectForm | None = None,
        draft_form: DraftForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        first = suggestion.duplicate_of or suggestion
        group = [first, *first.duplicates.order_by("received_at", "id")]
        proposal = suggestion.kind == Suggestion.Kind.PROGRAMME
        ctx = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Suggestion {suggestion.pk}: {suggestion.about}",
            "suggestion": suggestion,
            "now": [] if proposal else current_value(suggestion.programme, suggestion.fact),
            "group": group if len(group) > 1 else [],
            "can_decide": self.has_change_permission(request)
            and suggestion.status == Suggestion.Status.OPEN
            and suggestion.duplicate_of is None,
            "reject_form": reject_form or RejectForm(),
            "draft_form": draft_form or (DraftForm(initial=draft_initial(suggestion))),
            "proposal": proposal,
        }
        return TemplateResponse(
            request, "admin/programs/suggestion/review.html", ctx, status=status
        )

    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = self._suggestion(request, pk, change=True)
        if request.method != "POST" or suggestion.status != Suggestion.Status.OPEN:
            return back_to(suggestion)
        if suggestion.programme is None or suggestion.kind != Suggestion.Kind.CORRECTION:
            messages.error(request, "Only a correction to an existing programme can be accepted.")
            return back_to(suggestion)
        source = outcome.report_for(suggestion, request.user)
        messages.info(
            request,
            f"Accepting suggestion {suggestion.pk} ({suggestion.get_fact_display().lower()}): "
            f"“{suggestion.proposed[:300]}”. The form below is filled with it and cites "
            f"“{source.in_words()}”. Check every field, edit what the provider's words need, "
            "then save: saving accepts the suggestion.",
        )
        change = reverse("admin:programs_programme_change", args=[suggestion.programme.pk])
        return HttpResponseRedirect(f"{change}?{PARAMETER}={suggestion.pk}")

    def reject_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = self._suggestion(request, pk, change=True)
        if request.method != "POST" or suggestion.status != Suggestion.Status.OPEN:
            return back_to(suggestion)
        form = RejectForm(request.POST)
        if not form.is_valid():
            return self.review_page(request, suggestion, reject_form=form, status=400)
        closed = outcome.reject(suggestion, request.user, form.cleaned_data["reason"])
        if not closed:
            messages.error(request, "Another adviser decided this suggestion meanwhile.")
            return back_to(suggestion)
        messages.success(
            request,
            f"Suggestion {suggestion.pk} rejected{with_duplicates(closed)}: each sender who "
            "confirmed an address will get the reason.",
        )
        return HttpResponseRedirect(reverse("admin:programs_suggestion_changelist"))

    def draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        suggestion = self._suggestion(request, pk, change=True)
        if request.method != "POST" or suggestion.status != Suggestion.Status.OPEN:
            return back_to(suggestion)
        form = DraftForm(request.POST)
        if not form.is_valid():
            return self.review_page(request, suggestion, draft_form=form, status=400)
        programme = outcome.make_draft(suggestion, request.user, **form.cleaned_data)
        if programme is None:
            messages.error(request, "Another adviser decided this proposal meanwhile.")
            return back_to(suggestion)
        said = "; ".join(
            f"{label}: {value}"
            for label, value in [
                ("who may apply", suggestion.eligibility),
                ("dates", suggestion.dates),
                ("cost or pay", suggestion.cost),
                ("official page", suggestion.official_url),
                ("anything else", suggestion.proposed),
            ]
            if value
        )
        messages.success(
            request,
            f"“{programme.title}” is a draft citing the proposal. Check each fact with the "
            f"provider's pages, fill in what the proposal says ({said}), then publish it by "
            "setting its status.",
        )
        return HttpResponseRedirect(reverse("admin:programs_programme_change", args=[programme.pk]))
