"""The grid evaluated from several start seeds: one row per start, counts per condition."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exo_sim.cli import main
from exo_sim.learning.evaluate import EvalConfig, evaluate_starts, load_policy

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
