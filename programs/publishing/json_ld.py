"""JSON-LD (schema.org EducationalOccupationalProgram) for the detail page: only facts the page
itself shows."""

from __future__ import annotations

import json

from programs.decisions.deadlines import DeadlineStatus
from programs.models import Programme

MODES = {"in_person": "onsite", "virtual": "online", "hybrid": "blended"}


def json_ld(programme: Programme, deadline: DeadlineStatus, url: str) -> dict[str, object]:
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": programme.title,
        "description": programme.summary,
        "url": url,
        "provider": {"@type": "Organization", "name": programme.organisation.name},
    }
    if programme.delivery in MODES:
        data["educationalProgramMode"] = MODES[programme.delivery]
    countries = [c.name for c in programme.countries.all()]
    if countries:
        data["location"] = [
            {"@type": "Place", "address": {"@type": "PostalAddress", "addressCountry": name}}
            for name in countries
        ]
    weeks = programme.duration_min_weeks or programme.duration_max_weeks
    if weeks:
        data["timeToComplete"] = f"P{weeks}W"
    # Only a confirmed date still ahead: an expected (projected) date is no deadline.
    if deadline.date and deadline.confirmed and deadline.state in ("upcoming", "closing_soon"):
        data["applicationDeadline"] = deadline.date.isoformat()
    rules = [rule.text for rule in programme.eligibility_rules.all()]
    if rules:
        data["programPrerequisites"] = rules
    # Only one-off amounts are prices; a per-week fee stated as a flat price would mislead.
    # A conditional amount (Stanford's stipend "for students with financial need") carries its
    # condition, in the offer's description and eligibility.
    offers = [
        {
            "@type": "Offer",
            "category": cost.get_kind_display(),
            "price": str(cost.amount_min),
            "priceCurrency": cost.currency,
            **(
                {
                    "description": cost.with_condition(cost.get_kind_display()),
                    "eligibleCustomerType": cost.condition,
                }
                if cost.condition
                else {}
            ),
        }
        for cost in programme.costs.all()
        if cost.amount_min is not None and cost.currency and cost.period == "one_off"
    ]
    if offers:
        data["offers"] = offers
    if programme.certificate:
        data["educationalCredentialAwarded"] = programme.certificate
    return data


def json_ld_text(data: dict[str, object]) -> str:
    """JSON safe inside <script>: `<`, `>` and `&` escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
