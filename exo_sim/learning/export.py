"""Export a student to ONNX with its I/O metadata, and check parity with PyTorch."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch

from exo_interfaces.student_io import INPUT_NAME, METADATA_KEY, OUTPUT_NAME, StudentMetadata
from exo_sim.learning.student import StudentTCN

log = logging.getLogger(__name__)


def git_commit(repo: Path | None = None) -> str:
    """The commit of the working tree ('<sha>-dirty' with uncommitted changes), or 'unknown'."""
    cwd = repo or Path(__file__).resolve().parents[2]
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha}-dirty" if dirty else sha


def export_student(
    model: StudentTCN,
    path: str | Path,
    *,
    body_mass_kg: float = 75.0,
    training_command: str = "",
    training_commit: str | None = None,
) -> StudentMetadata:
    """Write ``model`` to ``path`` (ONNX, opset 17, dynamic batch) with StudentMetadata."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    cfg = model.config
    meta = StudentMetadata(
        rate_hz=cfg.rate_hz,
        history=cfg.history,
        body_mass_kg=body_mass_kg,
        training_commit=training_commit or git_commit(),
        training_command=training_command,
    )
    model = model.eval()
    example = torch.zeros(1, 2, cfg.history)
    torch.onnx.export(
        model,
        (example,),
        str(path),
        input_names=[INPUT_NAME],
        output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    proto = onnx.load(str(path))
    entry = proto.metadata_props.add()
    entry.key, entry.value = METADATA_KEY, meta.to_json()
    onnx.checker.check_model(proto)
    onnx.save(proto, str(path))
    log.info("exported student to %s (%d samples at %g Hz)", path, cfg.history, cfg.rate_hz)
    return meta


def parity_error(model: StudentTCN, path: str | Path, inputs: np.ndarray) -> float:
    """Max |PyTorch - ONNX Runtime| over ``inputs`` [N, 2, history] (Nm)."""
    model = model.eval()
    with torch.no_grad():
        expected = model(torch.as_tensor(inputs, dtype=torch.float32)).numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (got,) = session.run([OUTPUT_NAME], {INPUT_NAME: inputs.astype(np.float32)})
    return float(np.max(np.abs(expected - got)))
