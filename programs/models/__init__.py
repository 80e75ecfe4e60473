from .alerts import Alert, AlertMessage
from .base import Guide, Sourced
from .conditions import Cost, EligibilityRule
from .destinations import City, Country, DestinationNote, Region
from .editing import EditingSession
from .fixture_records import FixtureRecord
from .guides import CostBenchmark, GuideItem, GuideTopic, TimelineStage
from .import_jobs import ImportJob
from .legitimacy import LegitimacySignal
from .money import CURRENCY_SYMBOLS, CostKind, Currency, ExchangeRate, Period
from .organisations import Organisation
from .programmes import Programme, ProgrammeQuerySet
from .search import SearchSynonym, SearchWord
from .sources import CitesSource, DatedDeadline, Source
from .suggestions import Suggestion
from .taxonomy import Discipline, Speciality, StudyLevel
from .vocabulary import Vocabulary

__all__ = [
    "CURRENCY_SYMBOLS",
    "Alert",
    "AlertMessage",
    "CitesSource",
    "City",
    "Cost",
    "CostBenchmark",
    "CostKind",
    "Country",
    "Currency",
    "DatedDeadline",
    "DestinationNote",
    "Discipline",
    "EditingSession",
    "EligibilityRule",
    "ExchangeRate",
    "FixtureRecord",
    "Guide",
    "GuideItem",
    "GuideTopic",
    "ImportJob",
    "LegitimacySignal",
    "Organisation",
    "Period",
    "Programme",
    "ProgrammeQuerySet",
    "Region",
    "SearchSynonym",
    "SearchWord",
    "Source",
    "Sourced",
    "Speciality",
    "StudyLevel",
    "Suggestion",
    "TimelineStage",
    "Vocabulary",
]
