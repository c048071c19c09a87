"""Assisted vs no-exo comparison: per-stride outcomes on a synthetic gait, and the outputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from exo_sim.cli import main
from exo_sim.learning.compare import CompareConfig, Walk, _condition_row, merge, stride_outcomes, write_outputs


def _synthetic_walk(activation: float, moment: float, torque_amp: float, strides: int = 6, speed: float = 1.2) -> Walk:
    """1 s strides at 100 Hz; left foot loaded for the first 60 %; constant activation and power."""
    n = 100 * strides
    t = np.arange(n) / 100.0
    grf = np.where((t % 1.0) < 0.6, 700.0, 0.0)
    grf[0] = 0.0  # so the first heel strike is a rising edge at sample 0 -> 1
    signals = {
        "activation": np.full((n, 4), activation),
        "moment_bio_nm": np.full((n, 6), moment),
        "omega_rps": np.ones((n, 6)),
        "grf_z_n": np.stack([grf, grf], axis=1),
        "exo_torque_nm": np.stack([torque_amp * np.sin(2 * np.pi * t)] * 2, axis=1),
        "com_x_m": speed * t,
    }
    return Walk(False, 0.01, signals)


def test_stride_outcomes_hand_computed() -> None:
    cfg = CompareConfig(skip_strides=1)
    out = stride_outcomes(_synthetic_walk(0.2, 10.0, 7.0), mass_kg=70.0, weight_n=700.0, cfg=cfg)
    # Heel strikes at samples 100, 200, ..., 500 after skipping the first -> 4 strides.
    assert len(out["activation"]) == 4
    np.testing.assert_allclose(out["activation"], 0.2)
    np.testing.assert_allclose(out["power_hip"], 2 * 10.0 / 70.0)
    np.testing.assert_allclose(out["power_total"], 6 * 10.0 / 70.0)
    np.testing.assert_allclose(out["speed"], 1.2)
    profile = out["torque_profile"]
    assert profile.shape == (4, 101, 2)
    np.testing.assert_allclose(profile[0, 25, 0], 0.1, atol=1e-3)  # 7 Nm / 70 kg at quarter stride


def test_condition_row_change_and_peaks(tmp_path: Path) -> None:
    cfg = CompareConfig(skip_strides=1)
    base = stride_outcomes(_synthetic_walk(0.2, 10.0, 0.0), 70.0, 700.0, cfg)
    assisted = stride_outcomes(_synthetic_walk(0.19, 9.0, 7.0, speed=1.3), 70.0, 700.0, cfg)
    row = _condition_row(1.2, 0.0, {"no_exo": {k: [v] for k, v in base.items()},
                                    "assisted": {k: [v] for k, v in assisted.items()}}, {"no_exo": 0, "assisted": 1})
    assert row["activation_change_pct"] == pytest.approx(-5.0)
    assert row["power_total_change_pct"] == pytest.approx(-10.0)
    assert row["peak_flexion_nm_per_kg"] == pytest.approx(0.1, abs=1e-3)
    assert row["peak_flexion_pct_stride"] == 25 and row["peak_extension_pct_stride"] == 75
    assert row["falls_assisted"] == 1
    assert row["speed_no_exo"] == pytest.approx(1.2) and row["speed_assisted"] == pytest.approx(1.3)
    # Per metre: 0.19 / 1.3 against 0.2 / 1.2, and 54 / 1.3 against 60 / 1.2 (W/kg x 70 kg).
    assert row["activation_per_m_change_pct"] == pytest.approx(100 * (0.19 / 1.3 / (0.2 / 1.2) - 1))
    assert row["power_total_per_m_change_pct"] == pytest.approx(100 * (0.9 / 1.3 * 1.2 - 1))
    write_outputs([row], tmp_path, header="# test")
    assert (tmp_path / "comparison.csv").read_text().startswith("speed_mps,slope_deg")
    report = (tmp_path / "report.md").read_text()
    assert "| 1.2 | +0 | -5.0 ± 0.0 |" in report  # identical strides: no spread
    assert "| -12.3 ± 0.0 / -16.9 ± 0.0 |" in report  # identical strides: no spread per metre either
    assert "| 1.20 / 1.30 |" in report
    assert "| positive power change (%): hip | knee | ankle | total |" in report  # per-joint columns are power, not activation
    # A condition with fewer strides than asked for reports no change.
    few = _condition_row(1.2, 0.0, {"no_exo": {k: [v] for k, v in base.items()},
                                    "assisted": {k: [v] for k, v in assisted.items()}}, {"no_exo": 0, "assisted": 0},
                         min_strides=row["strides_no_exo"] + 1)
    assert np.isnan(few["activation_change_pct"]) and np.isnan(few["power_total_change_pct"])
    assert np.isnan(few["activation_per_m_change_pct"]) and np.isnan(few["power_total_per_m_change_pct"])
    assert (tmp_path / "profiles.png").stat().st_size > 1000 and (tmp_path / "trend.png").is_file()


def test_the_per_metre_interval_is_the_delta_method_of_the_ratio_of_means() -> None:
    rng = np.random.default_rng(3)
    x_a, v_a = 0.2 + 0.01 * rng.standard_normal(40), 1.2 + 0.05 * rng.standard_normal(40)
    x_b, v_b = 0.19 + 0.01 * rng.standard_normal(30), 1.1 + 0.05 * rng.standard_normal(30)
    row = _condition_row(1.2, 0.0, {"no_exo": {"activation": [x_a], "speed": [v_a]},
                                    "assisted": {"activation": [x_b], "speed": [v_b]}}, {"no_exo": 0, "assisted": 0})
    ra, rb = x_a.mean() / v_a.mean(), x_b.mean() / v_b.mean()
    assert row["activation_per_m_change_pct"] == pytest.approx(100 * (rb / ra - 1))
    # Resampling strides gives the same spread of the change as the delta method.
    boot = []
    for _ in range(4000):
        i, j = rng.integers(0, 40, 40), rng.integers(0, 30, 30)
        boot.append(100 * (x_b[j].mean() / v_b[j].mean() / (x_a[i].mean() / v_a[i].mean()) - 1))
    assert row["activation_per_m_change_ci95_pct"] == pytest.approx(1.96 * np.std(boot), rel=0.1)
    with pytest.raises(ValueError, match="stride speeds"):
        _condition_row(1.2, 0.0, {"no_exo": {"activation": [x_a], "speed": [v_a[:-1]]},
                                  "assisted": {"activation": [x_b], "speed": [v_b]}}, {"no_exo": 0, "assisted": 0})


def test_too_few_strides_gives_nothing() -> None:
    w = _synthetic_walk(0.2, 1.0, 1.0, strides=1)
    assert stride_outcomes(w, 70.0, 700.0, CompareConfig(skip_strides=2)) == {}


def test_contact_chatter_is_not_a_stride() -> None:
    cfg = CompareConfig(skip_strides=1)
    clean = stride_outcomes(_synthetic_walk(0.2, 10.0, 7.0), mass_kg=70.0, weight_n=700.0, cfg=cfg)
    chatter = _synthetic_walk(0.2, 10.0, 7.0)
    chatter.signals["grf_z_n"][[105, 305], 0] = 0.0  # the foot bounces 50 ms after two heel strikes
    out = stride_outcomes(chatter, mass_kg=70.0, weight_n=700.0, cfg=cfg)
    assert len(out["activation"]) == len(clean["activation"]) == 4
    np.testing.assert_allclose(out["torque_profile"], clean["torque_profile"])
    counted = stride_outcomes(chatter, mass_kg=70.0, weight_n=700.0, cfg=CompareConfig(skip_strides=1, min_stride_s=0.0))
    assert len(counted["activation"]) == 6  # without the debounce each bounce would start a 50 ms "stride"


def test_compare_command_takes_reflex_people_with_a_co_tuned_profile(tmp_path: Path) -> None:
    """`compare` runs reflex parameter files (a no-exo person and an assisted one with its profile)."""
    import csv
    import json

    import yaml

    from exo_sim.cli import main

    repo = Path(__file__).resolve().parents[1]
    tuned = yaml.safe_load((repo / "config" / "train" / "reflex_160.yaml").read_text())
    tuned["reflex_tuning"]["ros__parameters"]["env"]["exo_mode"] = "assist"
    (tmp_path / "assist.yaml").write_text(yaml.safe_dump(tuned))
    person = json.loads((repo / "artifacts" / "teacher" / "reflex_160.json").read_text())
    assisted = {**person, "assist": {"ext_nm": 6.0, "ext_phase": 0.15, "flex_nm": 6.0, "flex_phase": 0.6, "width": 0.08}}
    (tmp_path / "assisted.json").write_text(json.dumps(assisted))
    assert main(["compare", "--no-exo", str(repo / "artifacts" / "teacher" / "reflex_160.json"),
                 "--no-exo-config", str(repo / "config" / "train" / "reflex_160.yaml"),
                 "--assisted", str(tmp_path / "assisted.json"), "--assisted-config", str(tmp_path / "assist.yaml"),
                 "--out", str(tmp_path / "out"), "--set", "speeds_mps=[1.2]", "--set", "slopes_deg=[0.0]",
                 "--set", "seeds=[0]", "--set", "duration_s=5.0", "--set", "skip_strides=0", "--set", "min_strides=1"]) == 0
    [row] = list(csv.DictReader((tmp_path / "out" / "comparison.csv").open()))
    assert float(row["peak_flexion_nm_per_kg"]) > 0.005 and float(row["peak_extension_nm_per_kg"]) > 0.005  # exo on
    assert "with the assistance profile" in (tmp_path / "out" / "report.md").read_text()
    with pytest.raises(ValueError, match="give --assisted-config"):
        main(["compare", "--no-exo", str(repo / "artifacts" / "teacher" / "reflex_160.json"), "--no-exo-config",
              str(repo / "config" / "train" / "reflex_160.yaml"), "--assisted", str(tmp_path / "assisted.json"),
              "--out", str(tmp_path / "bad")])
    with pytest.raises(ValueError, match="--no-exo condition .* drives the exo"):
        main(["compare", "--no-exo", str(tmp_path / "assisted.json"), "--no-exo-config", str(tmp_path / "assist.yaml"),
              "--assisted", str(tmp_path / "assisted.json"), "--assisted-config", str(tmp_path / "assist.yaml"),
              "--out", str(tmp_path / "bad")])
    with pytest.raises(ValueError, match="has an assistance profile"):
        main(["compare", "--no-exo", str(tmp_path / "assisted.json"), "--no-exo-config",
              str(repo / "config" / "train" / "reflex_160.yaml"), "--assisted", str(tmp_path / "assisted.json"),
              "--assisted-config", str(tmp_path / "assist.yaml"), "--out", str(tmp_path / "bad")])


def test_unpowered_no_exo_is_the_assisted_person_with_its_motors_off(tmp_path: Path) -> None:
    """`compare --no-exo-unpowered` walks the assisted person with the exo worn and no torque: the
    same walk, to the last digit, as that person driving the exo with its profile's pulses set to zero."""
    import csv
    import json

    import yaml

    from exo_sim.cli import main

    repo = Path(__file__).resolve().parents[1]
    tuned = yaml.safe_load((repo / "config" / "train" / "reflex_160.yaml").read_text())
    tuned["reflex_tuning"]["ros__parameters"]["env"]["exo_mode"] = "assist"
    (tmp_path / "assist.yaml").write_text(yaml.safe_dump(tuned))
    person = json.loads((repo / "artifacts" / "teacher" / "reflex_160.json").read_text())
    profile = {"ext_nm": 6.0, "ext_phase": 0.15, "flex_nm": 6.0, "flex_phase": 0.6, "width": 0.08}
    (tmp_path / "assisted.json").write_text(json.dumps({**person, "assist": profile}))
    (tmp_path / "zeroed.json").write_text(json.dumps({**person, "assist": {**profile, "ext_nm": 0.0, "flex_nm": 0.0}}))
    common = ["--no-exo", str(tmp_path / "assisted.json"), "--no-exo-config", str(tmp_path / "assist.yaml"),
              "--no-exo-unpowered", "--assisted-config", str(tmp_path / "assist.yaml"), "--set", "speeds_mps=[1.2]",
              "--set", "slopes_deg=[0.0]", "--set", "seeds=[0]", "--set", "duration_s=4.0", "--set", "skip_strides=0",
              "--set", "min_strides=1"]
    assert main(["compare", *common, "--assisted", str(tmp_path / "zeroed.json"), "--out", str(tmp_path / "zero")]) == 0
    assert main(["compare", *common, "--assisted", str(tmp_path / "assisted.json"), "--out", str(tmp_path / "on")]) == 0
    [zero] = list(csv.DictReader((tmp_path / "zero" / "comparison.csv").open()))
    [on] = list(csv.DictReader((tmp_path / "on" / "comparison.csv").open()))
    for key in ("activation", "power_total", "speed"):
        assert zero[f"{key}_no_exo"] == zero[f"{key}_assisted"] == on[f"{key}_no_exo"]  # unpowered = zero torque
    assert on["activation_no_exo"] != on["activation_assisted"]  # the torque changes the walk
    assert "with the exo worn and unpowered" in (tmp_path / "on" / "report.md").read_text()


def test_a_swing_foot_scuffing_the_ground_is_not_a_stride() -> None:
    """A light touch (0.2 BW for 30 ms) in mid-swing passes the contact threshold but bears no
    weight: strides still run heel strike to heel strike."""
    cfg = CompareConfig(skip_strides=1)
    clean = stride_outcomes(_synthetic_walk(0.2, 10.0, 7.0), mass_kg=70.0, weight_n=700.0, cfg=cfg)
    scuff = _synthetic_walk(0.2, 10.0, 7.0)
    for stride in range(6):
        scuff.signals["grf_z_n"][100 * stride + 75: 100 * stride + 78, 0] = 140.0  # 75 % of the stride: swing
    out = stride_outcomes(scuff, mass_kg=70.0, weight_n=700.0, cfg=cfg)
    assert len(out["activation"]) == len(clean["activation"]) == 4
    np.testing.assert_allclose(out["torque_profile"], clean["torque_profile"])
    counted = stride_outcomes(scuff, mass_kg=70.0, weight_n=700.0, cfg=CompareConfig(skip_strides=1, strike_load_bw=0.1))
    assert len(counted["activation"]) > 4  # counting any touch as a heel strike would split the strides


def test_loaded_heel_strikes_hand_computed() -> None:
    from exo_sim import metrics

    f = np.zeros(40)
    f[5:15], f[20:22], f[30:] = 800.0, 100.0, 700.0  # stance, a scuff, a stance running to the end
    assert metrics.gait_events(f, 40.0)[0].tolist() == [5, 20, 30]
    assert metrics.loaded_heel_strikes(f, 40.0, 400.0).tolist() == [5, 30]
    assert metrics.loaded_heel_strikes(np.zeros(5), 40.0, 400.0).tolist() == []


def test_merge_puts_per_slope_comparisons_in_one_table(tmp_path: Path) -> None:
    cfg = CompareConfig(skip_strides=1)
    base = stride_outcomes(_synthetic_walk(0.2, 10.0, 0.0), 70.0, 700.0, cfg)
    assisted = stride_outcomes(_synthetic_walk(0.19, 9.0, 7.0), 70.0, 700.0, cfg)
    per = {"no_exo": {k: [v] for k, v in base.items()}, "assisted": {k: [v] for k, v in assisted.items()}}
    level, downhill = tmp_path / "level", tmp_path / "downhill"
    write_outputs([_condition_row(1.2, 0.0, per, {"no_exo": 0, "assisted": 0}),
                   _condition_row(1.4, 0.0, per, {"no_exo": 0, "assisted": 0})], level)
    few = _condition_row(1.2, -5.0, per, {"no_exo": 1, "assisted": 2}, min_strides=100)  # too few: NaN change
    write_outputs([few], downhill)
    rows = merge([level, downhill])
    assert [(r["speed_mps"], r["slope_deg"], r["source"]) for r in rows] == [
        (1.2, -5.0, str(downhill)), (1.2, 0.0, str(level)), (1.4, 0.0, str(level))]
    assert rows[1]["activation_change_pct"] == pytest.approx(-5.0) and np.isnan(rows[0]["activation_change_pct"])
    assert rows[0]["falls_assisted"] == 2 and isinstance(rows[0]["falls_assisted"], int)
    write_outputs(rows, tmp_path / "merged", header="# merged")
    report = (tmp_path / "merged" / "report.md").read_text()
    assert "| 1.2 | -5 | +nan ± nan |" in report and report.count(f"| {level} |") == 2
    assert "profiles.png" not in report and (tmp_path / "merged" / "trend.png").stat().st_size > 1000
    # The command writes the same table.
    assert main(["compare-merge", "--runs", str(level), str(downhill), "--out", str(tmp_path / "cli")]) == 0
    table = report[report.index("| speed (m/s)"):]
    assert (tmp_path / "cli" / "report.md").read_text().endswith(table)
    # A condition in two comparisons is refused, naming both.
    with pytest.raises(ValueError, match=r"1.2 m/s, \+0 deg is in both .*level and .*level"):
        merge([level, level])
    with pytest.raises(ValueError, match="no comparison.csv"):
        merge([tmp_path / "missing"])


def test_spread_summarises_each_change_across_pairings(tmp_path: Path) -> None:
    from exo_sim.learning.compare_spread import spread

    cfg = CompareConfig(skip_strides=1)
    base = stride_outcomes(_synthetic_walk(0.2, 10.0, 0.0), 70.0, 700.0, cfg)
    dirs = []
    for i, (activation, speed) in enumerate([(0.19, 1.2), (0.21, 1.3), (0.18, 1.2)]):
        assisted = stride_outcomes(_synthetic_walk(activation, 9.0, 7.0, speed=speed), 70.0, 700.0, cfg)
        per = {"no_exo": {k: [v] for k, v in base.items()}, "assisted": {k: [v] for k, v in assisted.items()}}
        rows = [_condition_row(1.2, 0.0, per, {"no_exo": 0, "assisted": i})]
        rows.append(_condition_row(1.2, 5.0, per, {"no_exo": 8, "assisted": 8}, min_strides=100))  # too few: NaN
        write_outputs(rows, tmp_path / f"pairing{i}")
        dirs.append(tmp_path / f"pairing{i}")
    level, uphill = spread(dirs)
    assert (level["speed_mps"], level["slope_deg"], level["pairings"]) == (1.2, 0.0, 3)
    # Activation -5, +5, -10 %.
    assert level["activation_change_pct_mean"] == pytest.approx(-10.0 / 3)
    assert level["activation_change_pct_min"] == pytest.approx(-10.0)
    assert level["activation_change_pct_max"] == pytest.approx(5.0)
    assert level["activation_change_pct_negative"] == 2 and level["activation_change_pct_n"] == 3
    assert level["speed_change_pct_negative"] == 0 and level["speed_change_pct_max"] == pytest.approx(100 * (1.3 / 1.2 - 1))
    assert level["speed_assisted_mean"] == pytest.approx((1.2 + 1.3 + 1.2) / 3) and level["falls_assisted"] == 0 + 1 + 2
    assert uphill["activation_change_pct_n"] == 0 and np.isnan(uphill["activation_change_pct_mean"])
    assert uphill["falls_no_exo"] == 24
    assert main(["compare-spread", "--runs", *map(str, dirs), "--out", str(tmp_path / "spread")]) == 0
    report = (tmp_path / "spread" / "report.md").read_text()
    assert "| 1.2 | +0 | -3.3 (-10.0 to +5.0), negative in 2 of 3 |" in report
    assert "| 1.2 | +5 | none of 3 |" in report
    assert (tmp_path / "spread" / "spread.csv").read_text().count("\n") == 3
    with pytest.raises(ValueError, match="at least two comparisons"):
        spread(dirs[:1])
    with pytest.raises(ValueError, match="compare spread: .*missing has no comparison.csv"):
        spread([dirs[0], tmp_path / "missing"])
