"""Alerts without an account: ask for one (a search's digest, a comparison's deadline
reminders), confirm the address, manage or delete alerts, unsubscribe in one click.

The address and the query are all that is stored (programs/models/alerts.py); the task worker
sends every message (programs/alerts/). Limits: ALERTS_PER_HOUR alerts an hour from one network
address, ALERTS_PER_ADDRESS_PER_HOUR asked for one email address an hour (whoever asks), at most
ALERTS_PER_ADDRESS alerts per address, and one confirmation link a day per address.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage

from programs.alerts import links, query, subscribing
from programs.alerts.forms import AlertForm, comparison
from programs.core import clock
from programs.decisions import deadlines
from programs.models import Alert, Programme
from programs.models.alerts import ALERTS_PER_ADDRESS, UNCONFIRMED_DAYS

from .public_forms import count, flooding, over_limit, public_form, refused, too_many

GROUP = "alerts"
TEMPLATE = "programs/alerts/subscribe.html"


def rate() -> str:
    return f"{settings.ALERTS_PER_HOUR}/h"


def address_over_limit(request: HttpRequest, email: str) -> bool:
    """Count one alert asked for this email address (hashed: the count's key holds no address)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    usage = get_usage(
        request,
        group=f"{GROUP}-address",
        key=lambda group, request: digest,
        rate=f"{settings.ALERTS_PER_ADDRESS_PER_HOUR}/h",
        method="POST",
        increment=True,
    )
    return usage is not None and usage["should_limit"]


def _about(kind: str, saved: str) -> dict:
    """What the form says the alert is about: the search's results now, or the comparison."""
    data = QueryDict(saved)
    if kind == Alert.Kind.SEARCH:
        found = query.programmes_for(data)
        return {
            "results": len(found) if isinstance(found, list) else found.count(),
            "search_url": f"{reverse('programs:list')}?{saved}".rstrip("?"),
            "problems": query.problems(data),
        }
    today = clock.today()
    slugs = comparison(data)
    by_slug = {
        p.slug: p for p in Programme.objects.published().with_deadlines().filter(slug__in=slugs)
    }
    rows = deadlines.deadline_rows([by_slug[s] for s in slugs if s in by_slug], today)
    return {"rows": rows}


def _subscribe(request: HttpRequest, kind: str) -> HttpResponse:
    if request.method == "POST":
        form = AlertForm(request.POST, kind=kind)
        saved = request.POST.get("search", "")
    elif kind == Alert.Kind.SEARCH:
        saved = query.saved_query(request.GET)
        form = AlertForm(kind=kind, initial={"search": saved})
    else:
        kept = QueryDict(mutable=True)
        kept.setlist("p", comparison(request.GET))
        saved = kept.urlencode()
        form = AlertForm(kind=kind, initial={"search": saved})
    context = {
        "section": "programmes",
        "form": form,
        "kind": kind,
        "searching": kind == Alert.Kind.SEARCH,
        "per_hour": settings.ALERTS_PER_HOUR,
        "limited_what": "alert requests",
        "unconfirmed_days": UNCONFIRMED_DAYS,
        **_about(kind, saved[: Alert._meta.get_field("query").max_length]),
    }
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if flooding(request, GROUP, settings.ALERTS_PER_HOUR):
        return refused()
    if over_limit(request, GROUP, rate()):
        return too_many(request, TEMPLATE, context, GROUP, rate())
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    if count(request, GROUP, rate()) or address_over_limit(request, form.cleaned_data["email"]):
        return too_many(request, TEMPLATE, context, GROUP, rate())
    if not form.is_robot:
        try:
            subscribing.subscribe(
                kind,
                form.cleaned_data["email"],
                form.cleaned_data["search"],
                form.cleaned_data.get("frequency") or Alert.Frequency.WEEKLY,
            )
        except subscribing.TooManyAlerts:
            form.add_error(
                "email",
                f"This address has {ALERTS_PER_ADDRESS} alerts already, the most it may have. "
                "Delete one with the link at the end of any alert message.",
            )
            return render(request, TEMPLATE, context, status=400)
    return redirect("programs:alert_sent")


@public_form
def subscribe_search(request: HttpRequest) -> HttpResponse:
    return _subscribe(request, Alert.Kind.SEARCH)


@public_form
def subscribe_deadlines(request: HttpRequest) -> HttpResponse:
    return _subscribe(request, Alert.Kind.DEADLINES)


@require_http_methods(["GET", "HEAD"])
def alert_sent(request: HttpRequest) -> HttpResponse:
    ctx = {"section": "programmes", "days": UNCONFIRMED_DAYS}
    response = render(request, "programs/alerts/sent.html", ctx)
    response["Cache-Control"] = "private, no-store"
    return response


@public_form
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A link scanner's GET confirms nothing: the page asks for one click (a POST)."""
    ctx: dict = {"section": "programmes", "token": token, "confirmed": None}
    if request.method == "POST":
        confirmed = subscribing.confirm(token)
        if not confirmed:
            return render(request, "programs/alerts/confirm.html", ctx, status=404)
        ctx["confirmed"] = confirmed
        ctx["manage_url"] = links.manage_url(confirmed[0])
    return render(request, "programs/alerts/confirm.html", ctx)


@public_form
def manage(request: HttpRequest, token: str) -> HttpResponse:
    """Every alert of the address a message went to: change how often, delete one, or delete
    them all (and with them the address)."""
    alert = links.alert_for(links.MANAGE, token)
    if alert is None:
        return render(request, "programs/alerts/gone.html", {"section": "programmes"}, status=404)
    mine = Alert.objects.for_address(alert.email)
    if request.method == "POST":
        action, chosen = request.POST.get("action", ""), request.POST.get("alert", "")
        if action == "delete_all":
            mine.delete()
            return render(request, "programs/alerts/gone.html", {"deleted": True})
        target = mine.filter(pk=int(chosen)).first() if chosen.isdigit() else None
        if target is None:
            return HttpResponse("No such alert for this address.", status=400)
        if action == "delete":
            subscribing.delete(target)
        elif action == "frequency" and request.POST.get("frequency") in Alert.Frequency.values:
            target.frequency = request.POST["frequency"]
            target.save(update_fields=["frequency"])
        else:
            return HttpResponse("Choose how often, or delete.", status=400)
        remaining = mine.first()
        if remaining is None:
            return render(request, "programs/alerts/gone.html", {"deleted": True})
        return redirect("programs:alert_manage", token=_token_for(remaining))
    ctx = {
        "section": "programmes",
        "alerts": [_row(row) for row in mine],
        "token": token,
        "frequencies": Alert.Frequency.choices,
    }
    return render(request, "programs/alerts/manage.html", ctx)


def _token_for(alert: Alert) -> str:
    return links.manage_url(alert).rstrip("/").rsplit("/", 1)[-1]


def _row(alert: Alert) -> dict:
    if alert.kind == Alert.Kind.SEARCH:
        url = f"{reverse('programs:list')}?{alert.query}".rstrip("?")
    else:
        url = f"{reverse('programs:compare')}?{alert.query}"
    return {"alert": alert, "url": url, "confirmed": alert.confirmed_at is not None}


@csrf_exempt  # RFC 8058: the mail client POSTs with no page and no token; the link is the key.
@public_form
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click: a POST (the mail client's `List-Unsubscribe=One-Click`, or the page's button)
    deletes the alert; a GET (a link scanner, or the person) only shows the button."""
    alert = links.alert_for(links.UNSUBSCRIBE, token)
    ctx: dict = {"section": "programmes", "token": token}
    if request.method == "POST":
        if alert is not None:
            others = Alert.objects.for_address(alert.email).exclude(pk=alert.pk).first()
            subscribing.delete(alert)
            ctx["others_url"] = links.manage_url(others) if others else ""
        ctx["done"] = True
        return render(request, "programs/alerts/unsubscribe.html", ctx)
    if alert is None:
        return render(request, "programs/alerts/gone.html", ctx, status=404)
    ctx["alert"] = alert
    return render(request, "programs/alerts/unsubscribe.html", ctx)
