"""The form that asks for an alert: an address, how often (a search's digest), and the search or
the comparison it is about (a hidden field holding the page's query string)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from programs.core.forms import PublicForm
from programs.listing.filters import SLUG
from programs.models import Alert, Programme
from programs.models.alerts import MAX_QUERY

from . import query

MAX_COMPARED = 4


class AlertForm(PublicForm):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send a link to confirm it first; nothing else is sent until you do.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Alert.Frequency.choices,
        initial=Alert.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    search = forms.CharField(max_length=MAX_QUERY, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == Alert.Kind.DEADLINES:
            del self.fields["frequency"]

    def clean_search(self) -> str:
        raw = QueryDict(self.cleaned_data.get("search", ""))
        if self.kind == Alert.Kind.SEARCH:
            return query.saved_query(raw)
        slugs = comparison(raw)
        if not slugs:
            raise forms.ValidationError(
                "Add programmes to your comparison first: reminders are for its deadlines."
            )
        kept = QueryDict(mutable=True)
        kept.setlist("p", slugs)
        return kept.urlencode()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "search" in self.errors:  # a hidden field: say it where the visitor reads
            self.add_error(None, self.errors.pop("search")[0])
        return cleaned


def comparison(data: QueryDict) -> list[str]:
    """The published programmes of a comparison (`p`), in its order, at most MAX_COMPARED."""
    slugs = [slug for slug in dict.fromkeys(data.getlist("p")) if SLUG.fullmatch(slug)]
    published = set(
        Programme.objects.published()
        .filter(slug__in=slugs[:MAX_COMPARED])
        .values_list("slug", flat=True)
    )
    return [slug for slug in slugs if slug in published][:MAX_COMPARED]
