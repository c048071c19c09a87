"""Teacher training smoke test: a few PPO iterations, checkpoints, exact resume, evaluation, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from exo_sim.cli import main
from exo_sim.learning.evaluate import EvalConfig, evaluate_grid, load_policy, write_outputs
from exo_sim.learning.ppo_runner import TeacherRunner
from exo_sim.learning.train_config import load_train_config
from exo_sim.models import build_model

REPO = Path(__file__).resolve().parents[1]
SMOKE = REPO / "config" / "train" / "smoke.yaml"


@pytest.fixture(scope="module")
def cfg():
    return load_train_config(SMOKE)


@pytest.fixture(scope="module")
def sim(cfg):
    return build_model(cfg.env.body, cfg.env.exo, timestep_s=cfg.env.timestep_s)


def _params(runner: TeacherRunner) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in runner.alg.get_policy().state_dict().values()])


def test_train_checkpoint_resume_exact_and_evaluate(cfg, sim, tmp_path: Path) -> None:
    torch.set_num_threads(1)
    a = TeacherRunner(cfg, tmp_path / "a", sim=sim)
    hist_a = a.learn(4)
    a.close()
    ckpts = sorted(p.name for p in (tmp_path / "a" / "checkpoints").iterdir())
    assert ckpts == ["model_000000.pt", "model_000002.pt", "model_000004.pt"]
    assert (tmp_path / "a" / "latest.pt").exists() and (tmp_path / "a" / "metrics.csv").exists()
    assert all(np.isfinite(r["loss/value"]) for r in hist_a)

    b = TeacherRunner(cfg, tmp_path / "b", sim=sim)
    b.load(tmp_path / "a" / "checkpoints" / "model_000002.pt")
    assert b.iteration == 2
    hist_b = b.learn(2)
    b.close()
    for ra, rb in zip(hist_a[2:], hist_b):
        for key in ("reward_per_step", "loss/value", "loss/surrogate", "learning_rate", "env_steps"):
            assert ra[key] == rb[key], key
    final_a = torch.load(tmp_path / "a" / "latest.pt", weights_only=False)
    assert torch.equal(_params(b), torch.cat([p.flatten() for p in final_a["actor_state_dict"].values()]))
    assert final_a["curriculum"] == b.curriculum.state_dict()

    factory, env_cfg, label = load_policy(checkpoint=str(tmp_path / "a" / "latest.pt"))
    rows = evaluate_grid(factory, env_cfg, EvalConfig(speeds_mps=(1.2,), slopes_deg=(0.0, 5.0), duration_s=0.5))
    assert [(r["speed_mps"], r["slope_deg"]) for r in rows] == [(1.2, 0.0), (1.2, 5.0)]
    assert all(0.0 < r["survived_s"] <= 0.5 + 1e-9 for r in rows)
    paths = write_outputs(rows, tmp_path / "eval", title=label)
    assert "| v* (m/s) |" in paths["md"].read_text()
    assert json.loads(paths["json"].read_text())["summary"]["conditions"] == 2


def test_cli_train_resume_evaluate(tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert main(["train", "--config", str(SMOKE), "--run-dir", str(run), "--iterations", "2"]) == 0
    with pytest.raises(SystemExit):
        main(["train", "--config", str(SMOKE), "--run-dir", str(run), "--iterations", "2"])
    assert main(["train", "--config", str(SMOKE), "--run-dir", str(run), "--iterations", "3", "--resume"]) == 0
    state = torch.load(run / "latest.pt", weights_only=False)
    assert state["iter"] == 3 and state["stage"] == "no_exo"
    out = tmp_path / "eval"
    assert main(["evaluate", "--checkpoint", str(run / "latest.pt"), "--out", str(out), "--speeds", "1.0",
                 "--slopes", "0", "--duration", "0.25"]) == 0
    assert (out / "eval.csv").read_text().startswith("speed_mps,slope_deg,success")


def test_stage2_from_stage1_bc_and_export(cfg, sim, tmp_path: Path) -> None:
    """Stage 2 starts from stage 1 with zero exo torque; BC from the reflex gives an --init-from checkpoint;
    the ONNX export acts like the torch actor."""
    import dataclasses

    from exo_sim.learning.bc import clone_reflex
    from exo_sim.learning.policy import export_checkpoint
    from exo_sim.learning.reflex import INITIAL, to_dict
    from exo_sim.learning.teacher_export import TeacherRunner as OnnxTeacher

    torch.set_num_threads(1)
    reflex = tmp_path / "reflex.json"
    reflex.write_text(json.dumps({"params": to_dict(INITIAL), "cost": 0.0, "generation": 0}))
    stats = clone_reflex(cfg, reflex, tmp_path / "bc.pt", steps=8, epochs=2)
    assert stats["samples"] == 8 * cfg.num_envs and np.isfinite(stats["mse"])

    s1 = TeacherRunner(cfg, tmp_path / "s1", sim=sim)
    s1.init_from(tmp_path / "bc.pt")
    s1.learn(2)
    s1.close()
    cfg2 = dataclasses.replace(cfg, env=dataclasses.replace(cfg.env, exo_mode="assist"))
    s2 = TeacherRunner(cfg2, tmp_path / "s2", sim=sim)
    s2.init_from(tmp_path / "s1" / "latest.pt")
    obs = s2.env.get_observations()
    mean = s2.alg.get_policy()(obs)
    exo = s2.env.actions.exo
    assert torch.all(mean[:, exo] == 0.0) and not torch.all(mean[:, : exo.start] == 0.0)
    s2.learn(2)
    s2.close()
    assert torch.load(tmp_path / "s2" / "latest.pt", weights_only=False)["stage"] == "assist"

    onnx_path = export_checkpoint(tmp_path / "s2" / "latest.pt", tmp_path / "teacher.onnx")
    teacher = OnnxTeacher(onnx_path)
    assert teacher.info.stage == "assist"
    factory, _env_cfg, _label = load_policy(checkpoint=str(tmp_path / "s2" / "latest.pt"))
    from exo_sim.env.walk import WalkVecEnv

    env = WalkVecEnv(cfg2.env, 2, nthread=1, sim=sim)
    o, _ = env.reset(seed=3)
    np.testing.assert_allclose(teacher(o), factory(env)(o), atol=1e-5)
    env.close()


def test_exo_only_teacher_on_a_reflex_layer_round_trips_through_onnx(cfg, sim, tmp_path: Path) -> None:
    """A residual teacher on the 160 Hz reflex layer: the ONNX teacher, bound to an env, installs the
    reflex as the env's base controller and drives the same physics as the checkpoint."""
    import dataclasses

    from exo_sim.env.walk import WalkVecEnv
    from exo_sim.learning.policy import export_checkpoint
    from exo_sim.learning.reflex import INITIAL, to_dict

    torch.set_num_threads(1)
    reflex = tmp_path / "reflex.json"
    reflex.write_text(json.dumps({"params": to_dict(INITIAL), "cost": 0.0, "generation": 0}))
    c = dataclasses.replace(
        cfg, env=dataclasses.replace(cfg.env, exo_mode="assist", base_hz=160.0),
        policy=dataclasses.replace(cfg.policy, reflex_base=str(reflex), muscle_residual=False, init_std=0.3))
    runner = TeacherRunner(c, tmp_path / "t", sim=sim)
    runner.learn(2)
    runner.close()
    onnx_path = export_checkpoint(tmp_path / "t" / "latest.pt", tmp_path / "teacher.onnx")
    rollouts = []
    for source in ({"onnx": str(onnx_path)}, {"checkpoint": str(tmp_path / "t" / "latest.pt")}):
        factory, env_cfg, _label = load_policy(**source)
        assert env_cfg.base_hz == 160.0
        env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False, sim=sim)
        policy = factory(env)
        assert env.base is not None  # the reflexes drive the muscles
        obs, _ = env.reset(seed=1)
        for _ in range(8):
            a = policy(obs)
            exo = np.zeros(a.shape[1], dtype=bool)
            exo[env.exo_action_slice] = True
            assert np.all(a[:, ~exo] == 0.0)  # exo-only policy
            obs, *_ = env.step(a)
        rollouts.append(env.physics.qpos.copy())
        env.close()
    np.testing.assert_allclose(rollouts[0], rollouts[1], atol=1e-4)
