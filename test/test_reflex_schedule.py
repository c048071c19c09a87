"""The reflex schedule (parameters per speed x slope node, interpolated) and the slope curriculum
of reflex-tune."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from exo_sim.env import EnvConfig
from exo_sim.env.config import StartPoseConfig
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile
from exo_sim.learning.reflex import INITIAL, NAMES, ReflexBase, from_unit, to_dict
from exo_sim.learning.reflex_schedule import ReflexSchedule, node_from_tuning
from exo_sim.learning.reflex_tune import (
    ReflexTuneConfig,
    _recorded_aids,
    next_slope_offset,
    next_slope_scale,
    next_speed_offset,
    tune,
)
from exo_sim.models import BodyConfig

REPO = Path(__file__).resolve().parents[1]
ENV = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", base_hz=160.0,
                init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))


def _node(speed: float, slope: float, theta: np.ndarray) -> dict:
    return {"speed_mps": speed, "slope_deg": slope, "params": to_dict(theta)}


def test_schedule_returns_nodes_at_nodes_interpolates_between_and_clamps_outside() -> None:
    a, b, c, d = (from_unit(np.full(len(NAMES), k)) for k in (0.0, 0.2, 0.5, 1.0))
    s = ReflexSchedule.from_nodes([_node(1.6, 5.0, d), _node(0.8, -5.0, a), _node(0.8, 5.0, b), _node(1.6, -5.0, c)])
    assert s.speeds_mps.tolist() == [0.8, 1.6] and np.allclose(np.rad2deg(s.slopes_rad), [-5.0, 5.0])
    five = np.deg2rad(5.0)
    at = s(np.array([0.8, 0.8, 1.6, 1.6]), np.array([-five, five, -five, five]))
    np.testing.assert_allclose(at, np.stack([a, b, c, d]))
    mid = s(np.array([1.2, 1.2, 0.8]), np.array([0.0, five, 0.0]))
    np.testing.assert_allclose(mid[0], (a + b + c + d) / 4)
    np.testing.assert_allclose(mid[1], (b + d) / 2)
    np.testing.assert_allclose(mid[2], (a + b) / 2)
    # Outside the grid the nearest edge holds: no extrapolated gains.
    out = s(np.array([0.3, 2.5]), np.array([-3 * five, 3 * five]))
    np.testing.assert_allclose(out, np.stack([a, d]))


def test_one_speed_schedule_and_file_round_trip(tmp_path: Path) -> None:
    lo, hi = INITIAL, from_unit(np.full(len(NAMES), 0.5))
    s = ReflexSchedule.from_nodes([_node(1.2, 0.0, lo), _node(1.2, 10.0, hi)])
    np.testing.assert_allclose(s(np.array([0.8, 1.6]), np.deg2rad([5.0, 5.0])), np.stack([(lo + hi) / 2] * 2))
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(s.to_json()))
    again = ReflexSchedule.from_file(path)
    np.testing.assert_allclose(again.table, s.table)
    assert np.allclose(np.rad2deg(again.slopes_rad), [0.0, 10.0])


def test_schedule_rejects_holes_duplicates_and_bad_values(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"no node at \(1.6 m/s, 5.0 deg\)"):
        ReflexSchedule.from_nodes([_node(0.8, 0.0, INITIAL), _node(0.8, 5.0, INITIAL), _node(1.6, 0.0, INITIAL)])
    with pytest.raises(ValueError, match="two nodes at speed 0.8 m/s, slope 0.0 deg"):
        ReflexSchedule.from_nodes([_node(0.8, 0.0, INITIAL), _node(0.8, 0.0, INITIAL)])
    with pytest.raises(ValueError, match="finite"):
        ReflexSchedule([1.2], [0.0], np.full((1, 1, len(NAMES)), np.nan))
    with pytest.raises(ValueError, match=r"slopes_deg: \[5.0, 0.0\] must be finite, non-empty and strictly increasing"):
        ReflexSchedule([1.2], [5.0, 0.0], np.zeros((1, 2, len(NAMES))))
    with pytest.raises(ValueError, match="reflex parameters"):
        ReflexSchedule([1.2], [0.0], np.zeros((1, 1, len(NAMES) - 1)))
    bad = dict(_node(1.2, 0.0, INITIAL))
    bad["params"] = {**bad["params"], "sol_gf": 99.0}
    with pytest.raises(ValueError, match=r"sol_gf=99 \(bounds \[0, 5\]\)"):
        ReflexSchedule.from_nodes([bad])
    (tmp_path / "assisted.json").write_text(json.dumps({"params": to_dict(INITIAL), "assist": {"width": 0.5}}))
    with pytest.raises(ValueError, match=r"width=0.5 \(bounds"):
        node_from_tuning(tmp_path / "assisted.json", 1.2, 0.0)
    with pytest.raises(ValueError, match="not a reflex schedule"):
        ReflexSchedule.from_file(REPO / "artifacts" / "teacher" / "reflex_upright.json")
    (tmp_path / "schedule.json").write_text(json.dumps(ReflexSchedule.from_nodes([_node(1.2, 0.0, INITIAL)]).to_json()))
    env = WalkVecEnv(ENV, 1, nthread=1, autoreset=False)
    with pytest.raises(ValueError, match="is a reflex schedule"):
        ReflexBase.from_file(tmp_path / "schedule.json", env)
    env.close()


def test_assisted_schedule_carries_each_nodes_profile(tmp_path: Path) -> None:
    """The stage-2 people of several slopes as one schedule: profiles interpolate like the reflexes,
    survive the file round trip, and a grid mixing assisted and bare nodes is refused."""
    flat_p = {**assist_profile.to_dict(assist_profile.INITIAL), "ext_nm": 2.0}
    down_p = {**flat_p, "ext_nm": 6.0, "flex_phase": 0.7}
    for name, theta, prof in (("flat", INITIAL, flat_p), ("down", from_unit(np.full(len(NAMES), 0.5)), down_p)):
        (tmp_path / f"{name}.json").write_text(json.dumps({"params": to_dict(theta), "assist": prof, "generation": 3}))
    nodes = [node_from_tuning(tmp_path / "flat.json", 1.2, 0.0), node_from_tuning(tmp_path / "down.json", 1.2, -10.0)]
    assert nodes[0]["assist"] == flat_p and nodes[0]["source"]["generation"] == 3
    s = ReflexSchedule.from_nodes(nodes)
    at = s.profile(np.array([1.2, 0.8, 1.6]), np.deg2rad([0.0, -10.0, -5.0]))
    np.testing.assert_allclose(at[0], assist_profile.from_dict(flat_p))
    np.testing.assert_allclose(at[1], assist_profile.from_dict(down_p))
    np.testing.assert_allclose(at[2], (assist_profile.from_dict(flat_p) + assist_profile.from_dict(down_p)) / 2)
    again = ReflexSchedule.from_nodes(s.to_json()["schedule"]["nodes"])
    assert again.profiles is not None
    np.testing.assert_allclose(again.profiles, s.profiles)
    assert s.reflexes_only().profiles is None
    with pytest.raises(ValueError, match="carries no assistance profiles"):
        s.reflexes_only().profile(np.array([1.2]), np.zeros(1))
    np.testing.assert_array_equal(s.reflexes_only().table, s.table)
    bare = _node(1.2, -10.0, INITIAL)
    with pytest.raises(ValueError, match=r"every node needs an assistance profile or none does; none at \(1.2 m/s, -10.0 deg\)"):
        ReflexSchedule.from_nodes([nodes[0], bare])
    with pytest.raises(ValueError, match="profiles: shape"):
        ReflexSchedule([1.2], [0.0], s.table[:, :1], profiles=np.zeros((1, 1, 2)))
    env = WalkVecEnv(dataclasses.replace(ENV, exo_mode="assist"), 2, nthread=1, autoreset=False)
    with pytest.raises(ValueError, match="carries its own assistance profiles"):
        ReflexBase(s, env, assist_profile.INITIAL)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 0})
    obs[1, env.obs_layout.slices()["slope_rad"]] = np.deg2rad(-10.0)
    for _ in range(30):  # the thighs move, so the profiles' pulses show
        action = ReflexBase(s, env)(obs)
        obs, *_ = env.step(action)
    obs[1, env.obs_layout.slices()["slope_rad"]] = np.deg2rad(-10.0)
    exo = ReflexBase(s, env)(obs)[:, env.exo_action_slice]
    expected = assist_profile.exo_action(env, np.stack([assist_profile.from_dict(p) for p in (flat_p, down_p)]))
    np.testing.assert_allclose(exo, expected[:, env.exo_action_slice], atol=1e-12)
    env.close()


def test_scheduled_base_acts_with_each_envs_own_node() -> None:
    """Two envs on different slopes: the scheduled base gives each the action of its slope's node."""
    flat, steep = INITIAL, from_unit(np.full(len(NAMES), 0.5))
    schedule = ReflexSchedule.from_nodes([_node(1.2, 0.0, flat), _node(1.2, 5.0, steep)])
    env = WalkVecEnv(ENV, 2, nthread=1, autoreset=False)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 0})
    obs[1, env.obs_layout.slices()["slope_rad"]] = np.deg2rad(5.0)  # what env 1 would see on +5 deg
    scheduled = ReflexBase(schedule, env)(obs)
    np.testing.assert_allclose(scheduled[0], ReflexBase(flat, env)(obs[:1])[0])
    np.testing.assert_allclose(scheduled[1], ReflexBase(steep, env)(obs[1:])[0], atol=1e-12)
    sl = env.obs_layout.slices()
    gains = schedule(obs[:, sl["target_speed_mps"]][:, 0], obs[:, sl["slope_rad"]][:, 0])
    np.testing.assert_array_equal(gains, np.stack([flat, steep]))  # the float32 slope snaps to its node
    assert not np.allclose(scheduled[0], scheduled[1])
    env.close()


def test_slope_and_speed_curricula_advance_after_full_runs_and_resume(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exo_sim.learning import reflex_tune

    cfg = ReflexTuneConfig(env=ENV, speeds_mps=(1.2,), slopes_deg=(-4.0, 4.0), seeds=(0,), duration_s=0.05,
                           popsize=4, generations=2, slope_scale_start=0.25, slope_scale_step=0.5, stall_fraction=0.0,
                           slope_offset_start_deg=-0.75, slope_offset_step_deg=0.5,
                           speed_offset_start_mps=0.08, speed_offset_step_mps=0.05)
    assert next_speed_offset(cfg, 0.08) == 0.03 and next_speed_offset(cfg, 0.03) == 0.0 and next_speed_offset(cfg, -0.4) == -0.35
    with pytest.raises(ValueError, match="speed_offset_start_mps 1.5 takes the commanded speeds"):
        dataclasses.replace(cfg, speed_offset_start_mps=1.5)
    commanded: list[float] = []
    real_rollout = reflex_tune.rollout_cost

    def recording_rollout(env, ctrl, proj, params, cfg_, speed, *args, **kwargs):  # type: ignore[no-untyped-def]
        commanded.append(round(speed, 6))
        return real_rollout(env, ctrl, proj, params, cfg_, speed, *args, **kwargs)

    monkeypatch.setattr(reflex_tune, "rollout_cost", recording_rollout)
    assert next_slope_scale(cfg, 0.25) == 0.75 and next_slope_scale(cfg, 0.75) == 1.0
    assert next_slope_offset(cfg, -0.75) == -0.25 and next_slope_offset(cfg, -0.25) == 0.0 == next_slope_offset(cfg, 0.0)
    assert next_slope_offset(cfg, 0.75) == 0.25  # an uphill start comes down
    assert ReflexTuneConfig(env=ENV).slope_scale_start == 1.0 and ReflexTuneConfig(env=ENV).slope_offset_start_deg == 0.0  # off by default
    with pytest.raises(ValueError, match="slope_scale_step"):
        dataclasses.replace(cfg, slope_scale_step=0.0)
    # 0.05 s runs: every candidate walks every run to the end, so each generation widens the slopes.
    run = tmp_path / "run"
    tune(cfg, run)
    assert json.loads((run / "curriculum.json").read_text()) == {"slope_scale": 1.0, "slope_offset_deg": 0.0, "speed_offset_mps": 0.0}
    tune(cfg, run, resume=True, generations=1)
    assert commanded == [1.28, 1.28, 1.23, 1.23, 1.2, 1.2]  # both slopes, each generation: the env is commanded speed + offset
    with (run / "progress.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [float(r["slope_scale"]) for r in rows] == [0.25, 0.75, 1.0]
    assert [float(r["slope_offset_deg"]) for r in rows] == [-0.75, -0.25, 0.0]
    assert [float(r["speed_offset_mps"]) for r in rows] == [0.08, 0.03, 0.0]
    best = json.loads((run / "best.json").read_text())
    # aids: trunk support (2), slope approach (2), slope scale, slope offset, speed offset, frontal support (4)
    assert best["aids"][4:] == [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0] and best["generation"] == 3  # only unaided candidates from generation 3
    # A run from before the offsets (its curriculum.json has the scale only) resumes with neither.
    (run / "curriculum.json").write_text(json.dumps({"slope_scale": 1.0}))
    tune(dataclasses.replace(cfg, slope_offset_start_deg=-5.0, speed_offset_start_mps=0.5), run, resume=True, generations=1)
    with (run / "progress.csv").open() as f:
        last = list(csv.DictReader(f))[-1]
        assert float(last["slope_offset_deg"]) == 0.0 == float(last["speed_offset_mps"])
    # Runs that never walk to the end keep the scale.
    stuck = dataclasses.replace(cfg, duration_s=8.0, generations=1, stall_fraction=0.9, stall_after_s=0.1)
    tune(stuck, tmp_path / "stuck")
    assert json.loads((tmp_path / "stuck" / "curriculum.json").read_text()) == {"slope_scale": 0.25, "slope_offset_deg": -0.75,
                                                                                "speed_offset_mps": 0.08}


def test_best_files_from_before_each_aid_read_in_todays_layout() -> None:
    none = [0.0, 0.0, 0.0, 0.0]  # frontal support, absent before the 3D body
    assert _recorded_aids({"trunk_support": [5.0, 1.0]}) == [5.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, *none]
    assert _recorded_aids({"aids": [0.0, 0.0, 2.0, 1.0]}) == [0.0, 0.0, 2.0, 1.0, 1.0, 0.0, 0.0, *none]
    assert _recorded_aids({"aids": [0.0, 0.0, 0.0, 0.0, 0.5]}) == [0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, *none]
    assert _recorded_aids({"aids": [0.0, 0.0, 0.0, 0.0, 1.0, -2.0]}) == [0.0, 0.0, 0.0, 0.0, 1.0, -2.0, 0.0, *none]
    assert _recorded_aids({"aids": [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.2]}) == [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.2, *none]
    today = [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 500.0, 50.0, 5000.0, 500.0]
    assert _recorded_aids({"aids": today}) == today


def test_evaluate_runs_a_schedule(tmp_path: Path) -> None:
    from exo_sim.learning.evaluate import load_policy

    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(ReflexSchedule.from_nodes([_node(1.2, 0.0, INITIAL), _node(1.2, 5.0, INITIAL)]).to_json()))
    factory, env_cfg, label = load_policy(reflex=str(path), config=str(REPO / "config/train/reflex_160_upright_slope_node.yaml"))
    assert "schedule" in label and "[0.0, 5.0] deg" in label
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    policy = factory(env)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 2.0, "start_seed": 0})
    obs, *_ = env.step(policy(obs))
    assert isinstance(env.base, ReflexBase) and isinstance(env.base.theta, ReflexSchedule)
    env.close()


def test_reflex_schedule_command_keeps_each_nodes_provenance(tmp_path: Path) -> None:
    from exo_sim.cli import main

    for name, k in (("flat", 0.0), ("down", 0.5)):
        (tmp_path / f"{name}.json").write_text(json.dumps({"params": to_dict(from_unit(np.full(len(NAMES), k))),
                                                           "generation": 7, "cost": 3.5, "commit": "abc"}))
    out = tmp_path / "schedule.json"
    assert main(["reflex-schedule", "--node", f"1.2:0={tmp_path / 'flat.json'}",
                 "--node", f"1.2:-5={tmp_path / 'down.json'}", "--out", str(out)]) == 0
    data = json.loads(out.read_text())
    assert data["schedule"]["slopes_deg"] == [-5.0, 0.0] and data["command"].startswith("python -m exo_sim")
    assert data["schedule"]["nodes"][0]["source"] == {"file": str(tmp_path / "down.json"), "generation": 7,
                                                      "cost": 3.5, "commit": "abc"}
    np.testing.assert_allclose(ReflexSchedule.from_file(out).table[0, 1], INITIAL)
    with pytest.raises(SystemExit, match="SPEED_MPS:SLOPE_DEG"):
        main(["reflex-schedule", "--node", f"fast:0={tmp_path / 'flat.json'}", "--out", str(out)])


def test_curricula_wait_for_the_speed_when_a_tolerance_is_set(tmp_path: Path) -> None:
    # 0.05 s runs walk to the end at about their start speed, off the commanded 1.2 m/s: the error
    # the first run logs decides whether a tolerance just under or just over it lets the step happen.
    cfg = ReflexTuneConfig(env=ENV, speeds_mps=(1.2,), slopes_deg=(0.0,), seeds=(0, 1), duration_s=0.05, popsize=4,
                           generations=1, stall_fraction=0.0, slope_offset_start_deg=-1.0, slope_offset_step_deg=0.5,
                           curriculum_speed_tol_mps=1e-6)
    tune(cfg, tmp_path / "strict")
    with (tmp_path / "strict" / "progress.csv").open() as f:
        row = next(csv.DictReader(f))
    error = float(row["gen_best_max_speed_error_mps"])
    assert 0.01 < error < 1.0 and abs(float(row["gen_best_speed_mps"]) - 1.2) <= error  # the mean over runs is within the worst
    assert json.loads((tmp_path / "strict" / "curriculum.json").read_text())["slope_offset_deg"] == -1.0  # walked, too slow
    for tol, offset in ((error * 0.999, -1.0), (error * 1.001, -0.5)):
        tune(dataclasses.replace(cfg, curriculum_speed_tol_mps=tol), tmp_path / f"tol{tol}")
        assert json.loads((tmp_path / f"tol{tol}" / "curriculum.json").read_text())["slope_offset_deg"] == offset
    tune(dataclasses.replace(cfg, curriculum_speed_tol_mps=0.0), tmp_path / "off")  # 0: walking every run is enough
    assert json.loads((tmp_path / "off" / "curriculum.json").read_text())["slope_offset_deg"] == -0.5
