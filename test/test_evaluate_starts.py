"""The grid evaluated from several start seeds: one row per start, counts per condition."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exo_sim.cli import main
from exo_sim.learning.evaluate import EvalConfig, evaluate_starts, load_policy, summarize, write_start_outputs

REPO = Path(__file__).resolve().parents[1]
UP5 = ["--reflex", str(REPO / "artifacts/teacher/reflex_schedule_up5.json"),
       "--config", str(REPO / "config/train/reflex_160_upright_slope_node.yaml")]


def test_start_seeds_run_the_grid_once_per_start_and_count_the_starts_walked(tmp_path: Path) -> None:
    """reflex_schedule_up5.json's 1.6 m/s nodes on -5 deg and level fall within 1.1 s from start 8
    and walk from start 10 (artifacts/teacher/starts_reflex_schedule_up5_4s)."""
    out = tmp_path / "starts"
    assert main(["evaluate", *UP5, "--out", str(out), "--speeds", "1.6", "--slopes", "-5", "0",
                 "--duration", "1.3", "--start-seeds", "8", "10"]) == 0
    rows = list(csv.DictReader((out / "starts.csv").open()))
    assert [(r["start_seed"], r["slope_deg"], r["success"]) for r in rows] == [
        ("8", "-5.0", "False"), ("8", "0.0", "False"), ("10", "-5.0", "True"), ("10", "0.0", "True")]
    md = (out / "starts.md").read_text()
    assert "Start seeds [8, 10], 1.3 s each. Runs without a fall: **2 / 4**" in md
    assert "conditions walked from every start: **0 / 2**" in md
    assert "| 1.6 | 1/2 | 1/2 |" in md  # starts walked from, per condition
    assert not (out / "eval.md").exists()


def test_start_seeds_must_be_distinct_and_non_negative() -> None:
    factory, env_cfg, _ = load_policy(reflex=UP5[1], config=UP5[3])
    for seeds in ([], [1, 1], [-1]):
        with pytest.raises(ValueError, match="need one or more distinct seeds >= 0"):
            evaluate_starts(factory, env_cfg, EvalConfig(duration_s=0.1), seeds)


def _row(seed: int, speed: float, slope: float, success: bool, v: float) -> dict[str, object]:
    return {"start_seed": seed, "speed_mps": speed, "slope_deg": slope, "success": success,
            "survived_s": 20.0 if success else 3.0, "mean_speed_mps": v, "speed_error_mps": abs(v - speed)}


def test_reports_count_walks_within_a_tenth_of_the_commanded_speed(tmp_path: Path) -> None:
    """The issue-5 criterion: no fall and |v - v*| < 0.1 m/s (0.1 itself misses; a fast fall does not count)."""
    rows = [_row(1, 0.8, 0.0, True, 0.75), _row(2, 0.8, 0.0, True, 0.95), _row(3, 0.8, 0.0, False, 0.8),
            _row(1, 1.2, 0.0, True, 1.15), _row(2, 1.2, 0.0, True, 1.25), _row(3, 1.2, 0.0, True, 1.0)]
    md = write_start_outputs(rows, tmp_path, duration_s=20.0)["md"].read_text()
    assert "within 0.1 m/s of the commanded speed: **3 / 6**" in md
    assert "conditions where more than half the starts do: **1 / 2**" in md
    assert "| 0.8 | 1/3 |" in md and "| 1.2 | 2/3 |" in md
    between = [_row(1, 1.05, 0.0, True, 1.05), _row(1, 1.1, 0.0, False, 0.5)]  # 1.05 once printed as 1.1
    md = write_start_outputs(between, tmp_path, duration_s=20.0)["md"].read_text()
    assert "| 1.05 | 1/1 |" in md and "| 1.1 | 0/1 |" in md
    edge = [{**_row(0, 1.0, 0.0, True, 1.0), "speed_error_mps": 0.1}, _row(0, 1.2, 0.0, True, 1.21)]
    for r in edge:
        r.update(strides=0)
    assert summarize(edge)["successes_within_speed_tol"] == 1
