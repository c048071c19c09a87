"""DAgger distillation on a stand-in teacher whose exo torque follows hip velocity."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from exo_sim.env.config import EnvConfig
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.student import StudentConfig
from exo_sim.metrics import torque_agreement as agreement
from exo_sim.models.config import BodyConfig


def test_agreement_hand_computed() -> None:
    t = np.array([[1.0, -1.0], [2.0, 0.0]])
    s = t + 0.5
    out = agreement(s, t, mass_kg=10.0)
    assert out["pearson_r"] == pytest.approx(1.0)
    assert out["rmse_nm_per_kg"] == pytest.approx(0.05)
    assert np.isnan(agreement(np.zeros(4), t, 1.0)["pearson_r"])


def _hip_velocity_teacher(env_cfg: EnvConfig) -> tuple[object, int]:
    probe = WalkVecEnv(env_cfg, 1)
    model, ix = probe.sim.model, probe.index
    vel0 = probe.obs_layout.slices()["joint_vel_rps"].start
    cols = [vel0 + list(ix.bio_qvel).index(model.jnt_dofadr[model.joint(j).id]) for j in ("hip_flexion_l", "hip_flexion_r")]
    act_dim = probe.single_action_space.shape[0]
    a_exo = probe.exo_action_slice
    probe.close()

    def teacher(obs: np.ndarray) -> np.ndarray:
        action = np.full((len(obs), act_dim), 0.05)
        action[:, a_exo] = 0.5 * np.tanh(obs[:, cols])  # flexion assistance with hip velocity
        return action

    return teacher, act_dim


@pytest.mark.parametrize("seed", [0])
def test_dagger_learns_a_gyro_predictable_teacher(seed: int) -> None:
    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), episode_s=2.0)
    teacher, _ = _hip_velocity_teacher(env_cfg)
    cfg = DistillConfig(
        student=StudentConfig(rate_hz=160.0, history=24, channels=16, dilations=(1, 2, 4)),
        num_envs=4, iterations=3, steps_per_iteration=160, epochs=15, batch_size=128, learning_rate=3e-3, seed=seed,
    )
    d = Distiller(teacher, env_cfg, cfg)
    history = d.run()
    assert [h["beta"] for h in history] == [1.0, 0.5, 0.25]
    first, last = history[0], history[-1]
    # Untrained student vs teacher is uncorrelated; after DAgger it follows the teacher.
    assert last["pearson_r"] > 0.8 and last["pearson_r"] > first["pearson_r"] + 0.3, history
    held_out = d.rollout(0.0, 160, seed=99, options={"speed_mps": 1.0, "slope_deg": 5.0})
    assert agreement(held_out["student_nm"], held_out["teacher_nm"], d.mass_kg)["pearson_r"] > 0.8


def test_start_weighting_counts_each_episodes_first_seconds() -> None:
    # The stand-in teacher's person falls within a second, so 160 steps hold restarts: each env's
    # age counts up from 0 and returns to 0 exactly at its resets, and the first 0.1 s of every
    # episode carries the weight.
    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"))
    teacher, _ = _hip_velocity_teacher(env_cfg)
    cfg = DistillConfig(student=StudentConfig(rate_hz=160.0, history=8, channels=4, dilations=(1,)),
                        num_envs=2, iterations=1, steps_per_iteration=160, epochs=1, start_window_s=0.1, start_weight=5.0)
    d = Distiller(teacher, env_cfg, cfg)
    history = d.run()
    data = d.rollout(0.0, 160, seed=3)
    age = np.rint(data["age_s"] * 160.0).astype(int).reshape(160, 2)
    step = np.diff(age, axis=0)
    assert (age[0] == 0).all() and ((step == 1) | (age[1:] == 0)).all()
    assert int(data["falls"]) >= 1 and (age[1:] == 0).sum() == int(data["falls"])
    assert set(np.unique(d.weights)) == {1.0, 5.0} and len(d.weights) == 320
    assert (d.weights == 5.0).sum() >= 2 * 16  # at least the first 16 steps of both envs' episodes
    assert "start_pearson_r" in history[0] and np.isfinite(history[0]["start_rmse_nm_per_kg"])


def test_unweighted_distillation_reports_no_start_agreement() -> None:
    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"))
    teacher, _ = _hip_velocity_teacher(env_cfg)
    cfg = DistillConfig(student=StudentConfig(rate_hz=160.0, history=8, channels=4, dilations=(1,)),
                        num_envs=2, iterations=1, steps_per_iteration=40, epochs=1)
    d = Distiller(teacher, env_cfg, cfg)
    assert "start_pearson_r" not in d.run()[0] and (d.weights == 1.0).all()
    with pytest.raises(ValueError, match="start_window_s"):
        DistillConfig(start_weight=4.0)  # a weight with no window would silently train unweighted


def test_weighted_loss_is_the_plain_mean_when_every_weight_is_equal() -> None:
    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"))
    teacher, _ = _hip_velocity_teacher(env_cfg)
    students = []
    rng = np.random.default_rng(0)
    x = rng.normal(size=(300, 2, 8)).astype(np.float32)
    y = rng.normal(size=(300, 2)).astype(np.float32)
    for weight, w in ((1.0, 1.0), (5.0, 5.0), (5.0, np.r_[np.full(150, 5.0), np.ones(150)])):
        cfg = DistillConfig(student=StudentConfig(rate_hz=160.0, history=8, channels=4, dilations=(1,)),
                            num_envs=1, epochs=3, batch_size=64, start_window_s=1.0, start_weight=weight)
        d = Distiller(teacher, env_cfg, cfg)
        d.inputs, d.labels, d.weights = x, y, np.broadcast_to(w, 300).astype(np.float32)
        d.fit()
        students.append(torch.cat([p.detach().flatten() for p in d.student.parameters()]))
    # Same initial weights and minibatches: equal weights train the unweighted student, unequal ones another.
    assert torch.allclose(students[0], students[1], atol=1e-5)
    assert not torch.allclose(students[0], students[2], atol=1e-3)


def test_held_out_agreement_past_the_training_rollouts_covers_exactly_the_later_samples() -> None:
    # Training rollouts of 40 steps (0.25 s at 160 Hz): in a longer held-out rollout, the samples
    # 0.25 s or more into their episode are the ones the student never trained on.
    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"))
    teacher, _ = _hip_velocity_teacher(env_cfg)
    cfg = DistillConfig(student=StudentConfig(rate_hz=160.0, history=8, channels=4, dilations=(1,)),
                        num_envs=2, iterations=1, steps_per_iteration=40, epochs=1, held_out_s=0.5)
    d = Distiller(teacher, env_cfg, cfg)
    d.run()
    short = d.rollout(0.0, 40, seed=5)
    assert d.untrained_agreement(short) == {}
    data = d.rollout(0.0, round(cfg.held_out_s * 160.0), seed=5)
    late = data["age_s"] >= 0.25
    assert 0 < late.sum() < len(late)
    expected = agreement(data["student_nm"][late], data["teacher_nm"][late], d.mass_kg)
    assert d.untrained_agreement(data) == {"untrained_pearson_r": expected["pearson_r"],
                                           "untrained_rmse_nm_per_kg": expected["rmse_nm_per_kg"]}
    with pytest.raises(ValueError, match="held_out_s"):
        DistillConfig(held_out_s=0.0)
