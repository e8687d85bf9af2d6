from .competitions import Competition, Quota, Round, Track
from .entries import Entry
from .judging import Judge, Sheet, SheetReopen, Station
from .results import OrganizationAward, RoundScore, StationScore, UpgradeRecommendation

__all__ = [
    "Competition",
    "Entry",
    "Judge",
    "OrganizationAward",
    "Quota",
    "Round",
    "RoundScore",
    "Sheet",
    "SheetReopen",
    "Station",
    "StationScore",
    "Track",
    "UpgradeRecommendation",
]
