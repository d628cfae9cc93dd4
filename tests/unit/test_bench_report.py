"""The benchmark's arithmetic and its table: percentiles, ratios over paired rounds, targets,
the printed table and the JSON; its options; reading a process's /proc stat line."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deploy.bench.measure import median, percentile, ratio
from deploy.bench.options import QUICK, Options, parse
from deploy.bench.procfs import PAGE_BYTES, TICKS, parse_stat
from deploy.bench.report import Row, Target, figure, table, write


def a_row(project: list[float], reference: list[float], target: Target | None = None) -> Row:
    return Row("lifecycle orders/s", "bare workflow", project, reference, target)


def test_percentiles_interpolate_between_ranks() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 100) == 100
    assert median([3.0, 1.0, 2.0]) == 2
    assert percentile([7.0], 99) == 7


def test_a_figure_without_samples_or_reference_is_not_a_number() -> None:
    assert math.isnan(percentile([], 50))
    assert math.isnan(ratio(5, 0))
    assert math.isnan(ratio(math.nan, 2))


def test_the_ratio_is_the_median_of_the_rounds_own_ratios() -> None:
    row = a_row([8, 10, 30], [10, 10, 10])
    assert row.ratios == [0.8, 1.0, 3.0]
    assert row.ratio == 1.0  # one noisy round does not move it


def test_a_target_is_checked_on_the_ratio_or_on_the_project_figure() -> None:
    assert a_row([4, 4, 4], [10, 10, 10], Target(">=", 0.8)).met is False
    assert a_row([9, 8, 9], [10, 10, 10], Target(">=", 0.8)).met is True
    assert a_row([900], [300], Target("<=", 1024, on="project")).met is True
    assert a_row([1100], [300], Target("<=", 1024, on="project")).met is False
    assert a_row([1], [1]).met is None


def test_figures_keep_about_three_significant_digits() -> None:
    assert [figure(v) for v in (1234.5, 123.4, 12.34, 1.234, 0.1234)] == [
        "1234",
        "123",
        "12.3",
        "1.23",
        "0.123",
    ]
    assert figure(math.nan) == "—"


def test_the_table_shows_medians_ratio_spread_and_whether_the_target_is_met() -> None:
    rows = [
        a_row([4, 5, 6], [10, 10, 10], Target(">=", 0.8)),
        Row("stack RSS MB, idle", "Temporal + ref. worker", [700], [250]),
    ]
    lines = table(rows).splitlines()
    assert lines[0].split()[:4] == ["figure", "project", "reference", "ratio"]
    assert "5.00" in lines[1] and "0.500" in lines[1] and "0.400..0.600" in lines[1]
    assert "≥ 0.8x MISSED" in lines[1]
    assert lines[2].split()[4:8] == ["700", "250", "2.80", "Temporal"]


def test_results_are_written_as_latest_and_as_a_timestamped_copy(tmp_path: Path) -> None:
    started = datetime(2026, 5, 2, 10, 30, tzinfo=UTC)
    copy = write({"rows": [a_row([1], [0]).summary()]}, tmp_path, started)
    assert copy.name == "bench-20260502-103000.json"
    saved = json.loads((tmp_path / "latest.json").read_text())
    assert saved["rows"][0]["ratio"] is None  # no NaN in the JSON


def test_flags_win_over_environment_which_wins_over_defaults() -> None:
    environ = {"CC_BENCH_ROUNDS": "5", "CC_BENCH_CUSTOMERS": "10", "CC_BENCH_EXTRA_STORES": "no"}
    options = parse(["--rounds", "7"], environ)
    assert (options.rounds, options.customers, options.extra_stores) == (7, 10, False)
    assert parse([], {}) == Options()
    assert parse(["--quick"], {}).burst_buyers == QUICK.burst_buyers


def test_traces_are_off_unless_asked_for_by_flag_or_environment() -> None:
    assert parse([], {}).traces is False
    assert parse(["--traces"], {}).traces is True
    assert parse(["--quick", "--traces", "no"], {"CC_BENCH_TRACES": "yes"}).traces is False
    assert parse([], {"CC_BENCH_TRACES": "yes"}).traces is True


def test_cpu_and_memory_are_read_from_a_stat_line_whatever_the_command_name() -> None:
    fields = ["S", "41"] + ["0"] * 9 + ["150", "50", "30", "20"] + ["0"] * 6 + ["1000"]
    stat = parse_stat("4242 (python (a) b) " + " ".join(fields + ["0"] * 20))
    assert (stat.pid, stat.ppid) == (4242, 41)
    assert stat.cpu_seconds == pytest.approx(250 / TICKS)
    assert stat.rss_bytes == 1000 * PAGE_BYTES
