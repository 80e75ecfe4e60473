from .base import Guide, Sourced
from .destinations import City, Country, DestinationNote, Region
from .guides import CostBenchmark, GuideItem, GuideTopic, TimelineStage
from .organisations import Organisation
from .programmes import (
    CURRENCY_SYMBOLS,
    Cost,
    CostKind,
    Currency,
    EligibilityRule,
    Period,
    Programme,
    ProgrammeQuerySet,
)
from .taxonomy import Discipline, Speciality, StudyLevel

__all__ = [
    "CURRENCY_SYMBOLS",
    "City",
    "Cost",
    "CostBenchmark",
    "CostKind",
    "Country",
    "Currency",
    "DestinationNote",
    "Discipline",
    "EligibilityRule",
    "Guide",
    "GuideItem",
    "GuideTopic",
    "Organisation",
    "Period",
    "Programme",
    "ProgrammeQuerySet",
    "Region",
    "Sourced",
    "Speciality",
    "StudyLevel",
    "TimelineStage",
]
