"""Synthetic programmes for benchmarks only: realistic shapes, clearly marked, never fixtures.

Every row this module writes is labelled: slugs start with `synthetic-`, the organisation is
"Synthetic data (benchmark only)" and the guide is "Synthetic guide (benchmark only)". It uses the
real vocabularies and destinations when they are loaded (so filters behave as on the real site)
and invents a few otherwise.
"""

from __future__ import annotations

import os
import random
import sys
from decimal import Decimal
from pathlib import Path

if __name__ == "__main__":  # run as a script by bench/run.py: set Django up first
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internships.settings")
    import django

    django.setup()

from django.db import connection, transaction

from programs.caching.generation import bump_generation
from programs.listing.search_sync import rebuild_all
from programs.models import (
    Cost,
    Country,
    Guide,
    Organisation,
    Programme,
    Region,
    Speciality,
    StudyLevel,
)

PREFIX = "synthetic-"
BATCH = 2000
WORDS = [
    "clinical",
    "shadowing",
    "elective",
    "rotation",
    "research",
    "paediatric",
    "surgery",
    "cardiology",
    "oncology",
    "emergency",
    "rural",
    "global",
    "public",
    "health",
    "neurology",
    "obstetrics",
    "tropical",
    "medicine",
    "summer",
    "observership",
    "hospital",
    "community",
    "laboratory",
]


def _vocabulary(rng: random.Random):
    guide, _ = Guide.objects.get_or_create(
        slug="synthetic-guide",
        defaults={"title": "Synthetic guide (benchmark only)", "short_title": "Synthetic"},
    )
    source = {"source_guide": guide, "source_section": "Synthetic data"}
    organisation, _ = Organisation.objects.get_or_create(
        slug="synthetic-data",
        defaults={
            "name": "Synthetic data (benchmark only)",
            "kind": Organisation.Kind.PRIVATE_PROVIDER,
            **source,
        },
    )
    if not Country.objects.exists():
        region = Region.objects.create(
            slug="synthetic-region", name="Synthetic region", summary="Benchmark only.", **source
        )
        for code, name in (("XA", "Côte Synthétique"), ("XB", "Benchmarkland")):
            Country.objects.create(code=code, name=name, region=region)
    for model, kind in ((Speciality, "speciality"), (StudyLevel, "level")):
        if not model.objects.exists():
            for n in range(3):
                model.objects.create(
                    slug=f"{PREFIX}{kind}-{n}", name=f"Synthetic {kind} {n}", **source
                )
    return (
        guide,
        organisation,
        list(Country.objects.all()),
        list(Speciality.objects.all()),
        list(StudyLevel.objects.all()),
    )


def _programme(n: int, rng: random.Random, guide, organisation) -> Programme:
    kind = rng.choice(["fixed", "approximate", "rolling", "varies", "unknown"])
    month = rng.randint(1, 12) if kind in ("fixed", "approximate") else None
    low = rng.choice([None, 1, 2, 4, 6, 8, 12])
    return Programme(
        slug=f"{PREFIX}{n}",
        title=f"Synthetic {' '.join(rng.sample(WORDS, 3))} {n}",
        summary="Synthetic benchmark record: " + " ".join(rng.choices(WORDS, k=20)) + ".",
        organisation=organisation,
        programme_type=rng.choice(Programme.Type.values),
        delivery=rng.choice(Programme.Delivery.values),
        pay=rng.choice(Programme.Pay.values),
        duration_min_weeks=low,
        duration_max_weeks=None if low is None else low + rng.choice([0, 2, 4]),
        deadline_kind=kind,
        deadline_month=month,
        deadline_day=rng.randint(1, 28) if kind == "fixed" else None,
        deadline_lead_weeks=rng.choice([4, 8, 12]) if kind == "rolling" else None,
        status=Programme.Status.PUBLISHED if rng.random() < 0.95 else Programme.Status.DRAFT,
        source_guide=guide,
        source_section="Synthetic data",
    )


def seed_synthetic(count: int, seed: int = 5, sparse: bool = False) -> int:
    """Add `count` synthetic programmes (numbered after any already there); returns the total.
    `sparse` adds twice as many and deletes every other one, so primary keys have gaps."""
    if sparse:
        seed_synthetic(2 * count, seed)
        doomed = Programme.objects.filter(slug__startswith=PREFIX).order_by("pk")
        pks = list(doomed.values_list("pk", flat=True))[::2]
        with transaction.atomic():
            for first in range(0, len(pks), BATCH):
                Programme.objects.filter(pk__in=pks[first : first + BATCH]).delete()
        return Programme.objects.filter(slug__startswith=PREFIX).count()
    rng = random.Random(seed)  # noqa: S311 (benchmark data, not secrets)
    guide, organisation, countries, specialities, levels = _vocabulary(rng)
    start = Programme.objects.filter(slug__startswith=PREFIX).count()
    with transaction.atomic():
        for first in range(start, start + count, BATCH):
            batch = [
                _programme(n, rng, guide, organisation)
                for n in range(first, min(first + BATCH, start + count))
            ]
            chosen = {
                p.slug: rng.sample(countries, k=min(len(countries), rng.randint(1, 2)))
                for p in batch
            }
            Programme.objects.bulk_create(batch)
            created = {
                p.slug: p.pk
                for p in Programme.objects.filter(slug__in=list(chosen)).only("pk", "slug")
            }
            Programme.countries.through.objects.bulk_create(
                Programme.countries.through(programme_id=created[slug], country_id=c.pk)
                for slug, picked in chosen.items()
                for c in picked
            )
            Programme.specialities.through.objects.bulk_create(
                Programme.specialities.through(
                    programme_id=pk, speciality_id=rng.choice(specialities).pk
                )
                for pk in created.values()
            )
            Programme.study_levels.through.objects.bulk_create(
                Programme.study_levels.through(programme_id=pk, studylevel_id=level.pk)
                for pk in created.values()
                for level in rng.sample(levels, k=min(len(levels), 2))
            )
            Cost.objects.bulk_create(
                Cost(
                    programme_id=pk,
                    key="fee",
                    kind="programme_fee",
                    amount_min=Decimal(rng.randrange(0, 5000, 50)),
                    currency="USD",
                    period="per_week",
                )
                for pk in created.values()
            )
    # bulk_create sends no signals: write the search documents (programs/listing/search_sync.py).
    rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after a bulk load (SQLite and PG)
    bump_generation()
    return Programme.objects.filter(slug__startswith=PREFIX).count()


def main() -> None:
    """`python bench/synthetic.py --programmes N [--seed S]`, with DJANGO_SETTINGS_MODULE and
    DATABASE_URL set by the caller (bench/run.py)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, required=True, help="How many to add.")
    parser.add_argument("--seed", type=int, default=5, help="Random seed (repeatable runs).")
    parser.add_argument(
        "--sparse", action="store_true", help="Delete every other row: gaps in primary keys."
    )
    args = parser.parse_args()
    total = seed_synthetic(args.programmes, args.seed, args.sparse)
    print(f"{total} synthetic programmes in the database.")


if __name__ == "__main__":
    main()
