"""The benchmarks' shared table (bench/benchkit.py): ratio and pass/fail as `make bench-all`
prints them."""

import importlib.util
from pathlib import Path

import pytest

BENCHKIT = Path(__file__).resolve().parent.parent / "bench" / "benchkit.py"


@pytest.fixture(scope="module")
def benchkit():
    spec = importlib.util.spec_from_file_location("benchkit", BENCHKIT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ratio_of_a_time_is_ours_over_baseline(benchkit):
    row = benchkit.Row(bench="lcr", measure="table", ours=3.0, unit="s", baseline=2.0)
    assert row.ratio == pytest.approx(1.5)


def test_ratio_of_a_rate_is_baseline_over_ours(benchkit):
    row = benchkit.Row(bench="lcr", measure="import", ours=7_000, unit="lines/s", baseline=408_000)
    assert row.ratio == pytest.approx(408_000 / 7_000)


def test_every_bound_must_hold_to_pass(benchkit):
    fast_but_far = benchkit.Row(
        bench="d", measure="m", ours=40, unit="ms", baseline=10, at_most=60, ratio_at_most=3
    )
    assert fast_but_far.passed is False
    close_but_slow = benchkit.Row(
        bench="d", measure="m", ours=90, unit="ms", baseline=60, at_most=60, ratio_at_most=3
    )
    assert close_but_slow.passed is False
    both = benchkit.Row(
        bench="d", measure="m", ours=50, unit="ms", baseline=20, at_most=60, ratio_at_most=3
    )
    assert both.passed is True


def test_a_fixed_allowance_goes_on_top_of_the_multiple_of_the_baseline(benchkit):
    # Issue 17's API goal: at most 2× the SQL plus 10 ms; a 1 ms query allows 12 ms.
    def row(ours):
        return benchkit.Row(
            bench="d",
            measure="m",
            ours=ours,
            unit="ms",
            baseline=1.0,
            at_most=100,
            ratio_at_most=2,
            plus_at_most=10,
        )

    assert row(12.0).passed is True
    assert row(12.5).passed is False
    assert row(12.0).goal == "≤ 100 ms, ≤ 2× baseline + 10 ms"
    assert (
        benchkit.Row(
            bench="d", measure="m", ours=5, unit="ms", ratio_at_most=2, plus_at_most=10
        ).passed
        is False
    )  # no baseline measured: not judged a pass


def test_rate_goal_is_a_floor(benchkit):
    row = benchkit.Row(bench="s", measure="verify", ours=10_600, unit="entries/s", at_least=1e5)
    assert row.passed is False
    assert row.goal == "≥ 100,000 entries/s"


def test_ratio_goal_without_a_baseline_fails_and_no_goal_is_not_judged(benchkit):
    assert benchkit.Row(bench="b", measure="m", ours=1, unit="s", ratio_at_most=2).passed is False
    assert benchkit.Row(bench="b", measure="m", ours=1, unit="s").passed is None


def test_rows_round_trip_through_the_results_file_and_the_table_counts_goals(
    benchkit, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "rows.jsonl"
    monkeypatch.setenv(benchkit.RESULTS_ENV, str(path))
    benchkit.record(
        benchkit.Row(bench="dir", measure="text: 固态", ours=2400, unit="ms", at_most=100)
    )
    benchkit.record(benchkit.Row(bench="xlsx", measure="read", ours=1.0, unit="s", baseline=2.0))
    rows = benchkit.read_rows(path)
    assert [row.measure for row in rows] == ["text: 固态", "read"]
    table = benchkit.format_table(rows)
    lines = table.splitlines()
    assert lines[0].split()[:4] == ["bench", "measure", "ours", "baseline"]
    assert "FAIL" in lines[2] and "0.50×" in lines[3]
    assert table.endswith("0 of 1 goals met.")
    # Chinese characters take two columns: the columns after the measure still line up.
    ours_end = [
        benchkit.width(line.split(mark)[0] + mark)
        for line, mark in ((lines[2], "2,400"), (lines[3], "1.00"))
    ]
    assert ours_end[0] == ours_end[1]


def test_interleaved_runs_the_ways_round_by_round(benchkit):
    calls = []
    durations, results = benchkit.interleaved(
        {"a": lambda: calls.append("a") or 1, "b": lambda: calls.append("b") or 2},
        rounds=3,
        warm_up=1,
    )
    assert calls == ["a", "b"] * 4
    assert [len(durations["a"]), len(durations["b"])] == [3, 3]
    assert results == {"a": 1, "b": 2}
