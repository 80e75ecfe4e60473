"""The public side of suggestions: suggest a correction to a programme, propose a programme,
confirm an address, and the privacy page that says what happens to it.

Nothing a visitor sends is shown publicly: it goes to the advisers' inbox (admin/suggestions.py).
Each form page is uncached and carries its own CSRF token (`public_form`); a visitor may store
SUGGESTIONS_PER_HOUR suggestions an hour from one address, then gets a 429 page with their text.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from programs.caching.pages import cached_page
from programs.core.forms import PublicForm
from programs.models import Programme, Suggestion
from programs.models.alerts import ALERTS_PER_ADDRESS, UNCONFIRMED_DAYS
from programs.models.suggestions import KEEP_ADDRESSES_DAYS
from programs.suggestions import intake, notify
from programs.suggestions.forms import CorrectionForm, ProposalForm
from programs.views import params

from .public_forms import count, flooding, over_limit, public_form, refused, too_many

GROUP = "suggestions"


def rate() -> str:
    return f"{settings.SUGGESTIONS_PER_HOUR}/h"


def handle(
    request: HttpRequest,
    form: PublicForm,
    template: str,
    context: dict,
    kind: str,
    programme: Programme | None = None,
) -> HttpResponse:
    """The POST of either form: refuse past the limit, store once, or show the form's errors."""
    context = {**context, "form": form, "per_hour": settings.SUGGESTIONS_PER_HOUR}
    if flooding(request, GROUP, settings.SUGGESTIONS_PER_HOUR):
        return refused()
    if over_limit(request, GROUP, rate()):
        return too_many(request, template, context, GROUP, rate())
    if not form.is_valid():
        return render(request, template, context, status=400)
    if count(request, GROUP, rate()):
        return too_many(request, template, context, GROUP, rate())
    if not form.is_robot:
        intake.receive(kind, form.stored_fields(), form.cleaned_data["submission"], programme)
    sent = reverse("programs:suggestion_sent")
    return redirect(params.url_with(sent, to=programme.slug) if programme else sent)


@public_form
def suggest_correction(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.published(), slug=slug)
    template = "programs/suggest_correction.html"
    context = {"section": "programmes", "programme": programme}
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        return handle(
            request, form, template, context, Suggestion.Kind.CORRECTION, programme=programme
        )
    return render(request, template, {**context, "form": CorrectionForm()})


@public_form
def propose_programme(request: HttpRequest) -> HttpResponse:
    template = "programs/propose_programme.html"
    context = {"section": "programmes"}
    if request.method == "POST":
        return handle(
            request, ProposalForm(request.POST), template, context, Suggestion.Kind.PROGRAMME
        )
    return render(request, template, {**context, "form": ProposalForm()})


@never_cache
def suggestion_sent(request: HttpRequest) -> HttpResponse:
    slug = request.GET.get("to", "")
    programme = Programme.objects.published().filter(slug=slug[:120]).first() if slug else None
    ctx = {"section": "programmes", "programme": programme}
    return render(request, "programs/suggestion_sent.html", ctx)


@public_form
def confirm_address(request: HttpRequest, token: str) -> HttpResponse:
    """A link scanner's GET confirms nothing: the page asks for one click (a POST)."""
    ctx: dict = {"section": "programmes", "token": token, "confirmed": None}
    if request.method == "POST":
        ctx["confirmed"] = notify.confirm_address(token)
        if ctx["confirmed"] is None:
            return render(request, "programs/confirm_address.html", ctx, status=404)
    return render(request, "programs/confirm_address.html", ctx)


@cached_page("p", shows_programmes=False)
def privacy(request: HttpRequest) -> HttpResponse:
    ctx = {
        "keep_days": KEEP_ADDRESSES_DAYS,
        "per_hour": settings.SUGGESTIONS_PER_HOUR,
        "alert_unconfirmed_days": UNCONFIRMED_DAYS,
        "alerts_per_address": ALERTS_PER_ADDRESS,
        "alerts_per_hour": settings.ALERTS_PER_HOUR,
        "alerts_per_address_per_hour": settings.ALERTS_PER_ADDRESS_PER_HOUR,
    }
    return render(request, "programs/privacy.html", ctx)
