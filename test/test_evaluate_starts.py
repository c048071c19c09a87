"""The grid evaluated from several start seeds: one row per start, counts per condition."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exo_sim.cli import main
from exo_sim.learning.evaluate import EvalConfig, evaluate_starts, load_policy

REPO = Path(__file__).resolve().parents[1]
UPRIGHT = ["--reflex", str(REPO / "artifacts/teacher/reflex_upright.json"),
           "--config", str(REPO / "config/train/reflex_160_upright_slope_node.yaml")]


def test_start_seeds_run_the_grid_once_per_start_and_count_the_starts_walked(tmp_path: Path) -> None:
    out = tmp_path / "starts"
    assert main(["evaluate", *UPRIGHT, "--out", str(out), "--speeds", "1.2", "--slopes", "0", "-10",
                 "--duration", "0.5", "--start-seeds", "3", "5"]) == 0
    rows = list(csv.DictReader((out / "starts.csv").open()))
    assert [(r["start_seed"], r["slope_deg"]) for r in rows] == [("3", "0.0"), ("3", "-10.0"), ("5", "0.0"), ("5", "-10.0")]
    # The start jitter differs between seeds, so the runs differ.
    assert rows[0]["mean_speed_mps"] != rows[2]["mean_speed_mps"]
    md = (out / "starts.md").read_text()
    walked = sum(r["success"] == "True" for r in rows)
    assert f"Runs without a fall: **{walked} / 4**" in md and "Start seeds [3, 5], 0.5 s each" in md
    every = sum(all(r["success"] == "True" for r in rows if r["slope_deg"] == s) for s in ("0.0", "-10.0"))
    assert f"conditions walked from every start: **{every} / 2**" in md
    assert not (out / "eval.md").exists()


def test_start_seeds_must_be_distinct_and_non_negative() -> None:
    factory, env_cfg, _ = load_policy(reflex=UPRIGHT[1], config=UPRIGHT[3])
    for seeds in ([], [1, 1], [-1]):
        with pytest.raises(ValueError, match="need one or more distinct seeds >= 0"):
            evaluate_starts(factory, env_cfg, EvalConfig(duration_s=0.1), seeds)
