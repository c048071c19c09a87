"""Averaging students into one ONNX file: same contract, mean torque, refused mismatches."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from exo_control.nodes.policy_node import PolicyConfig, PolicyNode
from exo_control.policy.student_runner import StudentRunner
from exo_control.runtime.inprocess import InProcessRuntime
from exo_sim.learning.export import export_student
from exo_sim.learning.student import StudentConfig, StudentTCN
from exo_sim.learning.student_ensemble import EnsembleError, ensemble_students


def _student(path: Path, seed: int, *, history: int = 40, body_mass_kg: float = 75.0) -> Path:
    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        export_student(StudentTCN(StudentConfig(history=history, rate_hz=100.0)), path,
                       body_mass_kg=body_mass_kg, training_command=f"seed {seed}")
    return path


@pytest.fixture(scope="module")
def members(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("members")
    return [_student(folder / f"s{seed}.onnx", seed) for seed in range(3)]


def test_ensemble_torque_is_the_mean_of_the_members(members: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "ensemble.onnx"
    ensemble_students(members, out, command="test")
    histories = np.random.default_rng(0).normal(scale=2.0, size=(20, 2, 40))
    runners = [StudentRunner(p) for p in members]
    ensemble = StudentRunner(out)
    for history in histories:
        each = np.array([r(history) for r in runners])
        assert not np.allclose(each[0], each[1])  # the members differ, so the mean is a real check
        np.testing.assert_allclose(ensemble(history), each.mean(axis=0), atol=1e-5)


def test_metadata_keeps_the_contract_and_names_every_member(members: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "ensemble.onnx"
    meta = ensemble_students(members[:2], out, command="python -m exo_sim ensemble ...")
    assert (meta.history, meta.rate_hz, meta.body_mass_kg) == (40, 100.0, 75.0)
    assert StudentRunner(out).metadata == meta
    record = json.loads(meta.training_command.split("mean of 2 students: ", 1)[1])
    assert [r["file"] for r in record] == [str(p) for p in members[:2]]
    assert [r["training_command"] for r in record] == ["seed 0", "seed 1"]
    assert all(len(r["sha256"]) == 64 for r in record)


def test_policy_node_runs_the_ensemble(members: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "ensemble.onnx"
    ensemble_students(members, out)
    node = InProcessRuntime("sim").add_node(PolicyNode, PolicyConfig(policy_path=str(out)))
    assert isinstance(node, PolicyNode) and node.student.metadata.history == 40


def test_mismatched_members_are_refused(members: list[Path], tmp_path: Path) -> None:
    other_history = _student(tmp_path / "h60.onnx", 5, history=60)
    with pytest.raises(EnsembleError, match="history 60 differs"):
        ensemble_students([members[0], other_history], tmp_path / "e.onnx")
    other_mass = _student(tmp_path / "m80.onnx", 6, body_mass_kg=80.0)
    with pytest.raises(EnsembleError, match="body_mass_kg 80.0 differs"):
        ensemble_students([members[0], other_mass], tmp_path / "e.onnx")


def test_bad_member_files_are_refused(members: list[Path], tmp_path: Path) -> None:
    with pytest.raises(EnsembleError, match="at least two"):
        ensemble_students(members[:1], tmp_path / "e.onnx")
    with pytest.raises(EnsembleError, match="not found"):
        ensemble_students([members[0], tmp_path / "missing.onnx"], tmp_path / "e.onnx")
    copy = tmp_path / "copy.onnx"
    copy.write_bytes(members[1].read_bytes())
    with pytest.raises(EnsembleError, match="same file as"):
        ensemble_students([members[0], members[1], copy], tmp_path / "e.onnx")
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not onnx")
    with pytest.raises(EnsembleError, match="cannot read"):
        ensemble_students([members[0], junk], tmp_path / "e.onnx")
    assert not (tmp_path / "e.onnx").exists()
