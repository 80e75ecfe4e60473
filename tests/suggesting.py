"""Helpers for the suggestion tests: what a visitor types into the public forms."""

from __future__ import annotations

import re
import uuid

from django.test import Client

from programs.models import Programme

DEADLINE_PAGE = "https://www.example.org/summer-school/dates"


def correction(**fields) -> dict[str, str]:
    """A student's correction of a deadline, with a link as evidence."""
    return {
        "fact": "deadline",
        "proposed": "Applications close on 15 March 2027.",
        "proposed_date": "2027-03-15",
        "evidence": "link",
        "evidence_url": DEADLINE_PAGE,
        "contact": "",
        "email": "",
        "website": "",
        "submission": str(uuid.uuid4()),
        **fields,
    }


def proposal(**fields) -> dict[str, str]:
    """A provider's proposed programme."""
    return {
        "title": "Lakeside Paediatrics Elective",
        "organisation_name": "Lakeside Children's Hospital",
        "location": "Kampala, Uganda",
        "eligibility": "Final-year medical students.",
        "dates": "June to August; apply by 1 April",
        "cost": "No fee",
        "official_url": "https://lakeside.example.org/elective",
        "proposed": "",
        "evidence": "runs_programme",
        "evidence_url": "",
        "contact": "Dr A. Okello, elective lead, electives@lakeside.example.org",
        "email": "",
        "website": "",
        "submission": str(uuid.uuid4()),
        **fields,
    }


def suggest_url(programme: Programme) -> str:
    return f"/programmes/{programme.slug}/suggest/"


def with_token(client: Client, url: str, data: dict[str, str]):
    """POST as a browser does: fetch the form (its CSRF cookie and token) first."""
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the form page carries a CSRF token"
    return client.post(url, {**data, "csrfmiddlewaretoken": token.group(1)})
