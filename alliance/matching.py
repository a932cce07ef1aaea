"""The matching score of a candidate supplier for a demand: pure, and explained part by part.

A candidate has already passed the hard filters (category, every threshold met by one
verified product, required certifications valid). The score ranks those who qualify, from
0 to 100, as a sum of parts a person can read:

    specs            35  how far the best product beats each threshold
    capacity         20  annual capacity against the demanded volume (same unit)
    local            15  registered in the municipality
    recommended      10  on the Procurement Recommendation Directory
    track record     10  collaborations completed in the alliance (5 points each)
    responsiveness   10  median time to answer earlier invitations

Where a part cannot be judged (no threshold given, no volume, no earlier invitation) it
scores half, so that missing data neither rewards nor punishes.

Points are kept to a tenth, rounded half up by `tenths`. `alliance.selectors` ranks the whole
directory with the same arithmetic in SQL and calls `score` on the rows it keeps: change a
formula here and there together (tests/alliance/test_ranking.py compares the two).
"""

import datetime
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SPEC_POINTS = 35
CAPACITY_POINTS = 20
LOCAL_POINTS = 15
RECOMMENDED_POINTS = 10
TRACK_RECORD_POINTS = 10
RESPONSIVENESS_POINTS = 10
POINTS_PER_COMPLETED_COLLABORATION = 5
#: A product that beats a threshold by this share (50 %) or more earns the full points for it;
#: one that just meets it earns half.
FULL_MARGIN = 0.5
#: Median hours to answer an invitation -> share of the responsiveness points.
RESPONSE_BANDS = ((24, 1.0), (72, 0.7), (168, 0.4))
SLOW_RESPONSE_SHARE = 0.1
UNKNOWN_SHARE = 0.5


def tenths(points: float) -> int:
    """Points in tenths, rounded half up (the same floor-based arithmetic as the SQL)."""
    return math.floor(points * 10 + 0.5)


def answer_hours(invited_at: datetime.datetime, answered_at: datetime.datetime) -> float:
    """Hours an SME took to answer an invitation (never negative)."""
    return max((answered_at - invited_at).total_seconds() / 3600, 0.0)


def median_hours(hours: Sequence[float]) -> float | None:
    """The figure responsiveness is judged on; None without any answered invitation."""
    return statistics.median(hours) if hours else None


@dataclass(frozen=True)
class Threshold:
    field: str
    lookup: str  # "gte" (at least) or "lte" (at most)
    value: float


@dataclass
class Part:
    key: str
    points: float
    max_points: int
    detail: dict = field(default_factory=dict)


@dataclass
class Score:
    parts: list[Part]

    @property
    def total(self) -> float:
        return round(sum(part.points for part in self.parts), 1)


def margin(value: float, threshold: Threshold) -> float:
    """How far a value beats a threshold, as a share of the threshold (0 when it just meets).

    A threshold of 0 is met by any value; the margin is then taken as full.
    """
    if threshold.value == 0:
        return FULL_MARGIN
    if threshold.lookup == "gte":
        return (value - threshold.value) / threshold.value
    return (threshold.value - value) / threshold.value


def spec_points(product: Mapping[str, float | None], thresholds: Sequence[Threshold]) -> Part:
    if not thresholds:
        return Part("specs", SPEC_POINTS * UNKNOWN_SHARE, SPEC_POINTS, {"margins": {}})
    share_each = SPEC_POINTS / len(thresholds)
    points = 0.0
    margins = {}
    for threshold in thresholds:
        beat = max(0.0, margin(float(product[threshold.field]), threshold))
        margins[threshold.field] = round(beat * 100, 1)
        points += share_each * (0.5 + 0.5 * min(beat / FULL_MARGIN, 1.0))
    return Part("specs", tenths(points) / 10, SPEC_POINTS, {"margins": margins})


def capacity_points(
    capacity: float | None, capacity_unit: str, volume: float | None, volume_unit: str
) -> Part:
    comparable = bool(capacity and volume and capacity_unit and capacity_unit == volume_unit)
    if not comparable:
        return Part("capacity", CAPACITY_POINTS * UNKNOWN_SHARE, CAPACITY_POINTS, {"ratio": None})
    ratio = capacity / volume
    return Part(
        "capacity",
        tenths(CAPACITY_POINTS * min(ratio, 1.0)) / 10,
        CAPACITY_POINTS,
        {"ratio": round(ratio * 100, 1)},
    )


def responsiveness_points(median_hours: float | None) -> Part:
    if median_hours is None:
        return Part(
            "responsiveness",
            RESPONSIVENESS_POINTS * UNKNOWN_SHARE,
            RESPONSIVENESS_POINTS,
            {"median_hours": None},
        )
    share = next((s for limit, s in RESPONSE_BANDS if median_hours <= limit), SLOW_RESPONSE_SHARE)
    return Part(
        "responsiveness",
        tenths(RESPONSIVENESS_POINTS * share) / 10,
        RESPONSIVENESS_POINTS,
        {"median_hours": round(median_hours, 1)},
    )


def score(
    *,
    product: Mapping[str, float | None],
    thresholds: Sequence[Threshold],
    capacity: float | None,
    capacity_unit: str,
    volume: float | None,
    volume_unit: str,
    is_local: bool,
    recommended: bool,
    completed_collaborations: int,
    median_answer_hours: float | None,
) -> Score:
    """The candidate's score with each part and the figures behind it."""
    track = min(TRACK_RECORD_POINTS, POINTS_PER_COMPLETED_COLLABORATION * completed_collaborations)
    return Score(
        [
            spec_points(product, thresholds),
            capacity_points(capacity, capacity_unit, volume, volume_unit),
            Part("local", LOCAL_POINTS if is_local else 0, LOCAL_POINTS, {"local": is_local}),
            Part(
                "recommended",
                RECOMMENDED_POINTS if recommended else 0,
                RECOMMENDED_POINTS,
                {"recommended": recommended},
            ),
            Part(
                "track_record",
                track,
                TRACK_RECORD_POINTS,
                {"completed": completed_collaborations},
            ),
            responsiveness_points(median_answer_hours),
        ]
    )
