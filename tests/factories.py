"""Small make_*() helpers: each builds one valid record with sensible defaults."""

from __future__ import annotations

import datetime
import itertools
import uuid

from django.contrib.auth import get_user_model

from programs.models import (
    City,
    Cost,
    CostBenchmark,
    Country,
    DatedDeadline,
    DestinationNote,
    Discipline,
    EligibilityRule,
    Guide,
    GuideItem,
    GuideTopic,
    Organisation,
    Programme,
    Region,
    Source,
    Speciality,
    StudyLevel,
    Suggestion,
    TimelineStage,
)

_seq = itertools.count(1)


def make_guide(**fields) -> Guide:
    n = next(_seq)
    defaults = {"slug": f"guide-{n}", "title": f"Guide {n}", "short_title": f"Guide {n}"}
    return Guide.objects.create(**{**defaults, **fields})


def _source(fields: dict) -> dict:
    if "source_guide" not in fields:
        fields["source_guide"] = Guide.objects.first() or make_guide()
    fields.setdefault("source_section", "A section")
    return fields


def make_region(**fields) -> Region:
    n = next(_seq)
    defaults = {"slug": f"region-{n}", "name": f"Region {n}", "summary": "A region."}
    return Region.objects.create(**_source({**defaults, **fields}))


def make_country(code: str | None = None, **fields) -> Country:
    if code is None:
        n = next(_seq)
        code = chr(65 + n // 26 % 26) + chr(65 + n % 26)
    fields.setdefault("name", f"Country {code}")
    if "region" not in fields:
        fields["region"] = make_region()
    return Country.objects.create(code=code, **fields)


def make_organisation(**fields) -> Organisation:
    n = next(_seq)
    defaults = {
        "slug": f"organisation-{n}",
        "name": f"Organisation {n}",
        "kind": Organisation.Kind.UNIVERSITY,
    }
    return Organisation.objects.create(**_source({**defaults, **fields}))


def make_speciality(**fields) -> Speciality:
    n = next(_seq)
    defaults = {"slug": f"speciality-{n}", "name": f"Speciality {n}"}
    return Speciality.objects.create(**_source({**defaults, **fields}))


def make_study_level(**fields) -> StudyLevel:
    n = next(_seq)
    defaults = {"slug": f"level-{n}", "name": f"Level {n}"}
    return StudyLevel.objects.create(**_source({**defaults, **fields}))


def make_programme(*, countries=(), specialities=(), study_levels=(), **fields) -> Programme:
    n = next(_seq)
    defaults = {
        "slug": f"programme-{n}",
        "title": f"Programme {n}",
        "summary": "A placement.",
        "programme_type": Programme.Type.SHADOWING,
        "status": Programme.Status.PUBLISHED,
        "pay": Programme.Pay.UNPAID,
        # A complete listing has the application page an adviser checked.
        "application_url": f"https://example.org/programme-{n}/apply",
    }
    if "organisation" not in fields:
        fields["organisation"] = make_organisation()
    fields = {**defaults, **fields}
    if fields["application_url"] and "application_url_source" not in fields:
        fields["application_url_source"] = application_page_source()
        fields.setdefault("application_url_checked_on", datetime.date(2025, 1, 6))
    programme = Programme(**_source(fields))
    programme.full_clean()
    programme.save()
    programme.countries.set(countries)
    programme.specialities.set(specialities)
    programme.study_levels.set(study_levels)
    return programme


def application_page_source() -> Source:
    """The source of the factories' application pages: the provider's website, read on a day."""
    found = Source.objects.filter(kind=Source.Kind.WEBSITE, title="Factory apply pages").first()
    return found or Source.objects.create(
        kind=Source.Kind.WEBSITE,
        title="Factory apply pages",
        url="https://example.org/",
        date=datetime.date(2025, 1, 6),
    )


def make_cost(programme: Programme, **fields) -> Cost:
    n = next(_seq)
    defaults = {"key": f"cost-{n}", "kind": "programme_fee", "currency": "USD"}
    cost = Cost(programme=programme, **{**defaults, **fields})
    cost.full_clean()
    cost.save()
    return cost


def make_rule(programme: Programme, **fields) -> EligibilityRule:
    n = next(_seq)
    defaults = {"key": f"rule-{n}", "kind": "other", "text": "A rule."}
    rule = EligibilityRule(programme=programme, **{**defaults, **fields})
    rule.full_clean()
    rule.save()
    return rule


# The remaining models, one valid record each.


def make_city(**fields) -> City:
    n = next(_seq)
    if "country" not in fields:
        fields["country"] = make_country()
    defaults = {"slug": f"city-{n}", "name": f"City {n}"}
    return City.objects.create(**{**defaults, **fields})


def make_discipline(**fields) -> Discipline:
    n = next(_seq)
    defaults = {"slug": f"discipline-{n}", "name": f"Discipline {n}"}
    return Discipline.objects.create(**_source({**defaults, **fields}))


def make_destination_note(**fields) -> DestinationNote:
    n = next(_seq)
    if "region" not in fields:
        fields["region"] = make_region()
    defaults = {"key": f"note-{n}", "kind": DestinationNote.Kind.OVERVIEW, "text": "A note."}
    return DestinationNote.objects.create(**_source({**defaults, **fields}))


def make_guide_topic(**fields) -> GuideTopic:
    n = next(_seq)
    defaults = {"slug": f"topic-{n}", "title": f"Topic {n}", "summary": "Why it matters."}
    return GuideTopic.objects.create(**{**defaults, **fields})


def make_timeline_stage(**fields) -> TimelineStage:
    n = next(_seq)
    defaults = {"slug": f"stage-{n}", "name": f"Stage {n}", "summary": "What to do now."}
    return TimelineStage.objects.create(**_source({**defaults, **fields}))


def make_guide_item(**fields) -> GuideItem:
    n = next(_seq)
    if "topic" not in fields:
        fields["topic"] = make_guide_topic()
    defaults = {"key": f"item-{n}", "kind": GuideItem.Kind.POINT, "title": f"Point {n}"}
    return GuideItem.objects.create(**_source({**defaults, **fields}))


def make_cost_benchmark(**fields) -> CostBenchmark:
    n = next(_seq)
    defaults = {"slug": f"benchmark-{n}", "kind": "flights", "currency": "GBP"}
    benchmark = CostBenchmark(**_source({**defaults, **fields}))
    benchmark.full_clean()
    benchmark.save()
    return benchmark


def make_exchange_rate(currency: str = "USD", per_eur: str = "1.16", **fields):
    import datetime
    from decimal import Decimal

    from programs.models import ExchangeRate

    defaults = {"as_of": datetime.date(2026, 11, 23), "source_note": "Illustrative, for tests."}
    return ExchangeRate.objects.create(
        currency=currency, per_eur=Decimal(per_eur), **{**defaults, **fields}
    )


def make_legitimacy_signal(programme: Programme, check_item: GuideItem, **fields):
    from programs.models import LegitimacySignal

    defaults = {"state": LegitimacySignal.State.CONFIRMED, "note": "Named in the guide."}
    return LegitimacySignal.objects.create(
        **_source({"programme": programme, "check_item": check_item, **defaults, **fields})
    )


def make_source(**fields) -> Source:
    """A provider's email recorded by an adviser (the kind that needs the most)."""
    if "recorded_by" not in fields:
        user_model = get_user_model()
        fields["recorded_by"] = user_model.objects.first() or user_model.objects.create_user(
            f"recorder-{next(_seq)}"
        )
    defaults = {"kind": Source.Kind.EMAIL, "date": datetime.date(2026, 11, 20)}
    return Source.objects.create(**{**defaults, **fields})


def make_dated_deadline(programme: Programme, **fields) -> DatedDeadline:
    defaults = {"cycle": 2027, "date": datetime.date(2027, 2, 20)}
    if "source" not in fields:
        fields["source"] = make_source()
    return DatedDeadline.objects.create(programme=programme, **{**defaults, **fields})


def make_suggestion(programme: Programme, **fields) -> Suggestion:
    """A reader's correction of the programme's deadline, as the public form stores it."""
    defaults = {
        "kind": Suggestion.Kind.CORRECTION,
        "fact": Suggestion.Fact.DEADLINE,
        "proposed": "Applications close on 15 March 2027.",
        "evidence": Suggestion.Evidence.LINK,
        "evidence_url": "https://www.example.org/dates",
        "submission": uuid.uuid4(),
        "fingerprint": uuid.uuid4().hex,
    }
    return Suggestion.objects.create(programme=programme, **{**defaults, **fields})
