"""The matching score: parts a person can read, summing to at most 100."""

import datetime

import pytest

from alliance import matching
from alliance.matching import Threshold

CONDUCTIVITY = Threshold("ionic_conductivity", "gte", 1e-3)
ASR = Threshold("asr", "lte", 10.0)


def _score(**overrides):
    values = {
        "product": {"ionic_conductivity": 1e-3, "asr": 10.0},
        "thresholds": [CONDUCTIVITY, ASR],
        "capacity": 100.0,
        "capacity_unit": "t",
        "volume": 100.0,
        "volume_unit": "t",
        "is_local": True,
        "recommended": True,
        "completed_collaborations": 2,
        "median_answer_hours": 6.5,
    }
    values.update(overrides)
    return matching.score(**values)


def test_the_parts_sum_to_the_total_and_never_pass_one_hundred():
    best = _score(product={"ionic_conductivity": 1e-2, "asr": 1.0})
    assert [part.key for part in best.parts] == [
        "specs",
        "capacity",
        "local",
        "recommended",
        "track_record",
        "responsiveness",
    ]
    assert best.total == 100
    assert sum(part.max_points for part in best.parts) == 100


def test_just_meeting_a_threshold_earns_half_beating_it_by_half_earns_all():
    just = matching.spec_points({"ionic_conductivity": 1e-3}, [CONDUCTIVITY])
    well = matching.spec_points({"ionic_conductivity": 1.5e-3}, [CONDUCTIVITY])
    assert just.points == pytest.approx(17.5)
    assert well.points == pytest.approx(35)
    assert well.detail["margins"] == {"ionic_conductivity": 50.0}


def test_an_at_most_threshold_rewards_lower_values():
    part = matching.spec_points({"asr": 7.5}, [ASR])
    assert part.detail["margins"] == {"asr": 25.0}
    assert part.points == pytest.approx(35 * 0.75, abs=0.1)  # points are kept to 0.1


def test_capacity_below_the_volume_scores_its_share_and_other_units_are_neutral():
    assert matching.capacity_points(50, "t", 100, "t").points == 10
    assert matching.capacity_points(500, "t", 100, "t").points == 20
    unknown = matching.capacity_points(50, "GWh", 100, "t")
    assert unknown.points == 10 and unknown.detail == {"ratio": None}


@pytest.mark.parametrize(
    ("hours", "points"),
    [([2.0], 10), ([50.0], 7), ([100.0], 4), ([500.0], 1), ([], 5), ([1.0, 24.0, 500.0], 10)],
)
def test_faster_answers_to_invitations_score_more(hours, points):
    assert matching.responsiveness_points(matching.median_hours(hours)).points == points


def test_answer_hours_are_never_negative():
    invited = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
    assert matching.answer_hours(invited, invited + datetime.timedelta(hours=30)) == 30
    assert matching.answer_hours(invited, invited - datetime.timedelta(minutes=5)) == 0


def test_points_are_kept_to_a_tenth_rounded_half_up():
    # 35 / 2 * 0.5 + 35 / 2 = 26.25 exactly: half up, not to the even 26.2
    part = matching.spec_points({"ionic_conductivity": 1e-3, "asr": 1.0}, [CONDUCTIVITY, ASR])
    assert part.points == 26.3
    assert [matching.tenths(p) for p in (0.04, 0.05, 17.5, 99.95)] == [0, 1, 175, 1000]


def test_track_record_counts_five_points_per_completed_collaboration_up_to_ten():
    assert [_score(completed_collaborations=n).parts[4].points for n in (0, 1, 2, 5)] == [
        0,
        5,
        10,
        10,
    ]


def test_local_and_recommended_are_all_or_nothing():
    plain = _score(is_local=False, recommended=False)
    assert plain.parts[2].points == 0 and plain.parts[3].points == 0
