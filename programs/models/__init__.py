from .base import Guide, Sourced
from .decisions import ExchangeRate, LegitimacySignal
from .destinations import City, Country, DestinationNote, Region
from .guides import CostBenchmark, GuideItem, GuideTopic, TimelineStage
from .money import CURRENCY_SYMBOLS, Cost, CostKind, Currency, Period
from .organisations import Organisation
from .programmes import EligibilityRule, Programme, ProgrammeQuerySet
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
    "ExchangeRate",
    "Guide",
    "GuideItem",
    "GuideTopic",
    "LegitimacySignal",
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
