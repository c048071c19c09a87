"""DAgger distillation on a stand-in teacher whose exo torque follows hip velocity."""

from __future__ import annotations

import numpy as np
import pytest

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
