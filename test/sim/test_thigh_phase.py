"""The thigh phase-portrait clock (exo_sim.env.thigh_phase) and the assistance profile timed by it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from exo_interfaces.params import from_mapping, to_mapping
from exo_sim.env.config import EnvConfig
from exo_sim.env.thigh_phase import ThighPhase, start_values
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile
from exo_sim.learning.evaluate import env_from_file

REPO = Path(__file__).resolve().parents[2]
DT = 1.0 / 160.0


def _run(clock: ThighPhase, angle: np.ndarray) -> np.ndarray:
    return np.asarray([clock.update(a, DT).copy() for a in angle])


def test_a_periodic_thigh_gives_a_phase_nearly_linear_in_time_from_peak_flexion() -> None:
    t = np.arange(0.0, 12.0, DT)
    stride_s = 1.3
    w = 2 * np.pi / stride_s
    angle = 0.15 + 0.35 * np.cos(w * t)  # peak flexion at t = 0, 1.3, ...
    phase = _run(ThighPhase(1), np.stack([angle, angle], axis=1)[:, None, :])[:, 0, 0]
    late = t > 8.0  # the running centre and scales have settled
    expected = (t / stride_s) % 1.0
    error = (phase - expected + 0.5) % 1.0 - 0.5
    # Linear in time up to a small lag (the running centres lag) and ripple (they ripple at the
    # stride frequency: a 1.5 s mean of a 1.3 s period).
    assert np.abs(error[late]).max() < 0.06 and np.ptp(error[late]) < 0.04


def test_a_stance_slow_swing_fast_thigh_never_runs_backwards() -> None:
    """A walker's thigh extends slowly through stance and flexes fast in swing; a phase from the
    angle's integral still only moves forwards (one from its rate did not)."""
    t = np.arange(0.0, 15.0, DT)
    s = (t / 1.6) % 1.0
    angle = np.where(s < 0.65, 0.9 - 1.4 * s / 0.65, -0.5 + 1.4 * (1 - np.cos(np.pi * (s - 0.65) / 0.35)) / 2)
    phase = _run(ThighPhase(1), np.stack([angle, angle], axis=1)[:, None, :])[:, 0, 1]
    step = (np.diff(phase[t > 5.0]) + 0.5) % 1.0 - 0.5
    assert step.min() > -1e-9 and step.max() < 0.05


def test_each_leg_and_env_keeps_its_own_clock_and_bad_samples_are_skipped() -> None:
    clock = ThighPhase(2)
    t = np.arange(0.0, 10.0, DT)
    w = 2 * np.pi / 1.1
    left, right = 0.3 * np.cos(w * t), 0.3 * np.cos(w * t + np.pi)  # half a stride apart
    angles = np.stack([np.stack([left, right], 1), np.stack([right, left], 1)], axis=1)  # (T, 2 envs, 2 legs)
    phase = _run(clock, angles)[-1]
    assert (phase[0, 1] - phase[0, 0]) % 1.0 == pytest.approx(0.5, abs=0.03)
    assert phase[1, 0] == pytest.approx(phase[0, 1], abs=1e-9) and phase[1, 1] == pytest.approx(phase[0, 0], abs=1e-9)
    before = clock.phase.copy(), clock.integral.copy(), clock.angle_mean.copy()
    clock.update(np.array([[np.nan, 0.1], [0.2, np.inf]]), DT)
    assert clock.phase[0, 0] == before[0][0, 0] and clock.integral[0, 0] == before[1][0, 0]
    assert clock.angle_mean[1, 1] == before[2][1, 1] and np.isfinite(clock.phase).all()
    assert clock.phase[0, 1] != before[0][0, 1]  # the good legs moved on
    clock.reset(0)
    assert clock.phase[0].tolist() == [0.0, 0.0] and clock.integral[0].tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="time_constant_s"):
        ThighPhase(1, time_constant_s=0.0)


def test_a_rate_limited_phase_only_advances_and_no_faster_than_its_limit() -> None:
    """From reset values far from the walk (a wide centre offset, as at a fast start), the raw
    estimate turns back and forth while the running means settle; the limited one steps forward
    only, at most max_rate_hz x dt per tick, and once settled follows the raw one."""
    t = np.arange(0.0, 12.0, DT)
    stride_s = 0.95
    angle = 0.45 + 0.4 * np.cos(2 * np.pi * t / stride_s) + 0.15 * np.cos(4 * np.pi * t / stride_s + 1.0)
    legs = np.stack([angle, angle], axis=1)[:, None, :]
    raw = _run(ThighPhase(1), legs)[:, 0, 0]
    limited = _run(ThighPhase(1, max_rate_hz=2.5), legs)[:, 0, 0]
    raw_step = (np.diff(raw) + 0.5) % 1.0 - 0.5
    step = (np.diff(limited) + 0.5) % 1.0 - 0.5
    assert raw_step.min() < -0.01  # the case this is for: the raw estimate runs backwards
    assert step.min() > -1e-12 and step.max() <= 2.5 * DT + 1e-12
    late = t > 8.0
    gap = (limited - raw + 0.5) % 1.0 - 0.5
    assert np.abs(gap[late]).max() < 0.02
    assert limited[0] == raw[0]  # the first update takes the estimate as it is


def test_after_a_reset_the_limited_phase_starts_from_the_estimate_and_bad_limits_are_named() -> None:
    clock = ThighPhase(2, max_rate_hz=1.0)
    clock.update(np.array([[0.3, -0.2], [0.3, -0.2]]), DT)
    clock.update(np.array([[0.5, -0.4], [0.5, -0.4]]), DT)
    clock.reset(1)
    first = clock.update(np.array([[0.5, -0.4], [-0.3, 0.4]]), 0.0).copy()
    fresh = ThighPhase(1).update(np.array([[-0.3, 0.4]]), 0.0)
    np.testing.assert_array_equal(first[1], fresh[0])  # env 1 restarted from its pose's phase
    after = clock.update(np.array([[0.5, -0.4], [0.2, -0.1]]), DT)
    assert np.all(((after[1] - first[1]) % 1.0) <= DT + 1e-12)  # and is limited from there
    for bad in (-1.0, float("nan")):
        with pytest.raises(ValueError, match="max_rate_hz"):
            ThighPhase(1, max_rate_hz=bad)
    cfg = env_from_file(str(REPO / "config/train/reflex_160_upright_assist_thigh.yaml"))
    with pytest.raises(ValueError, match="thigh_phase_max_rate_hz"):
        dataclasses.replace(cfg, thigh_phase_max_rate_hz=-0.5)


def test_start_values_by_speed_interpolate_hold_at_the_ends_and_bad_rows_are_named() -> None:
    table = ((0.8, 0.10, 0.40, 0.10), (1.2, 0.06, 0.25, 0.05))
    assert start_values((), 1.0) is None
    assert start_values(table, 1.0) == pytest.approx((0.08, 0.325, 0.075))
    assert start_values(table, 0.5) == pytest.approx(table[0][1:]) and start_values(table, 1.6) == pytest.approx(table[1][1:])
    clock = ThighPhase(2)
    clock.reset(1, start_values(table, 1.2))
    assert clock.angle_mean[1].tolist() == [0.06, 0.06] and clock.integral_scale[1].tolist() == [0.05, 0.05]
    assert clock.angle_scale[0].tolist() == [0.2, 0.2]  # env 0 as constructed
    clock.reset(1)
    assert clock.angle_scale[1].tolist() == [0.2, 0.2]  # no start: the fixed values again
    cfg = env_from_file(str(REPO / "config/train/reflex_160_upright_assist_thigh.yaml"))
    for bad, message in (
        (((1.2, 0.0, 0.25, 0.05), (0.8, 0.1, 0.4, 0.1)), "speeds must ascend"),
        (((1.2, 0.0, 0.0, 0.05),), r"thigh_phase_start\[0\].*out of range"),
        (((1.2, float("nan"), 0.25, 0.05),), r"thigh_phase_start\[0\].*finite"),
    ):
        with pytest.raises(ValueError, match=message):
            dataclasses.replace(cfg, thigh_phase_start=bad)
    rows = {"thigh_phase_start": [[0.8, 0.1, 0.4, 0.1], [1.2, 0.06, 0.25, 0.05]]}
    loaded = from_mapping(EnvConfig, {**to_mapping(cfg), **rows})
    assert loaded.thigh_phase_start == ((0.8, 0.1, 0.4, 0.1), (1.2, 0.06, 0.25, 0.05))
    assert from_mapping(EnvConfig, to_mapping(loaded)) == loaded  # the teacher file's round trip


def test_the_env_starts_each_clock_from_its_commanded_speed() -> None:
    table = ((0.8, 0.10, 0.40, 0.10), (1.2, 0.06, 0.25, 0.05))
    cfg = dataclasses.replace(env_from_file(str(REPO / "config/train/reflex_160_upright_assist_thigh.yaml")),
                              thigh_phase_start=table)
    env = WalkVecEnv(cfg, 2, nthread=1, autoreset=False)
    env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0})
    # the first update (dt 0) leaves the running means where the reset put them
    np.testing.assert_allclose(env.thigh.angle_scale, 0.25)
    np.testing.assert_allclose(env.thigh.integral_scale, 0.05)
    np.testing.assert_allclose(env.thigh.angle_mean, 0.06)
    env.close()


def test_the_env_times_the_profile_by_each_thigh_when_asked() -> None:
    cfg = dataclasses.replace(env_from_file(str(REPO / "config/train/reflex_160_upright_assist.yaml")), assist_clock="thigh")
    env = WalkVecEnv(cfg, 1, nthread=1, autoreset=False)
    env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 0})
    theta = assist_profile.INITIAL
    phases = []
    for _ in range(40):
        action = assist_profile.exo_action(env, theta)
        nm = env.to_physical(action)[0, env.exo_action_slice] * cfg.exo.torque_limit_nm  # left, right
        np.testing.assert_allclose(nm, assist_profile.hip_torque_nm(env.thigh.phase[0], theta), atol=1e-12)
        phases.append(env.thigh.phase[0].copy())
        env.step(action)
    env.close()
    assert np.ptp(np.asarray(phases), axis=0).min() > 0.1  # the clock moved with the legs
    with pytest.raises(ValueError, match="assist_clock"):
        dataclasses.replace(cfg, assist_clock="cadence")
    limited = WalkVecEnv(dataclasses.replace(cfg, thigh_phase_max_rate_hz=2.5), 1, nthread=1, autoreset=False)
    assert limited.thigh.max_rate_hz == 2.5
    limited.close()
