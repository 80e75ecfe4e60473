from django.urls import path

from programs.alerts.query import list_parameters
from programs.caching.pages import cached_page
from programs.publishing.feeds import ProgrammeFeed

from .views import alerts, eligibility, listing, open_data, pages, suggestions, tools

app_name = "programs"

urlpatterns = [
    path("", listing.home, name="home"),
    path("programmes/", listing.programme_list, name="list"),
    # Before programmes/<slug>/: "calendar.ics" is not a slug, but keep the feed's route first.
    path("programmes/calendar.ics", tools.list_calendar, name="list_calendar"),
    path("programmes/<slug:slug>/", pages.programme_detail, name="detail"),
    path(
        "programmes/<slug:slug>/calendar.ics",
        tools.programme_calendar,
        name="programme_calendar",
    ),
    path(
        "programmes/<slug:slug>/suggest/",
        suggestions.suggest_correction,
        name="suggest_correction",
    ),
    # Public forms and what follows them (issue 21); outside programmes/ so no slug is shadowed.
    path("suggestions/propose/", suggestions.propose_programme, name="propose_programme"),
    path("suggestions/sent/", suggestions.suggestion_sent, name="suggestion_sent"),
    path(
        "suggestions/confirm/<str:token>/",
        suggestions.confirm_address,
        name="confirm_address",
    ),
    # Alerts without an account (issue 22).
    path("alerts/search/", alerts.subscribe_search, name="alert_new"),
    path("alerts/deadlines/", alerts.subscribe_deadlines, name="alert_deadlines"),
    path("alerts/sent/", alerts.alert_sent, name="alert_sent"),
    path("alerts/confirm/<str:token>/", alerts.confirm, name="alert_confirm"),
    path("alerts/manage/<str:token>/", alerts.manage, name="alert_manage"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="alert_unsubscribe"),
    path("privacy/", suggestions.privacy, name="privacy"),
    path("eligibility/", eligibility.eligibility, name="eligibility"),
    path("compare/", tools.compare, name="compare"),
    path("compare/calendar.ics", tools.compare_calendar, name="compare_calendar"),
    path("deadlines/", tools.upcoming_deadlines, name="deadlines"),
    path("destinations/", pages.destination_list, name="destinations"),
    path("destinations/<slug:slug>/", pages.region_detail, name="region"),
    path("guides/", pages.guide_list, name="guides"),
    path("guides/<slug:slug>/", pages.guide_detail, name="guide"),
    path("programmes.csv", open_data.export_csv, name="export_csv"),
    path("programmes.json", open_data.export_json, name="export_json"),
    path("programmes/feed.atom", cached_page(*list_parameters())(ProgrammeFeed()), name="feed"),
    path("healthz", open_data.healthz, name="healthz"),
    path("robots.txt", open_data.robots_txt, name="robots"),
    path("favicon.ico", open_data.favicon, name="favicon"),
]
