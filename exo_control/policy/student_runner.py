"""Run an exported student with ONNX Runtime (no torch on the device)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import onnxruntime as ort
from numpy.typing import NDArray

from exo_interfaces.student_io import INPUT_NAME, METADATA_KEY, OUTPUT_NAME, StudentMetadata

log = logging.getLogger(__name__)


class StudentLoadError(RuntimeError):
    """The student file is missing, unreadable or does not follow the I/O contract."""


class StudentRunner:
    """Loads a student ONNX file, checks its metadata, and maps a gyro history to hip torques."""

    def __init__(self, path: str | Path, *, threads: int = 1):
        path = Path(path)
        if not path.is_file():
            raise StudentLoadError(f"student policy file not found: {path}")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise StudentLoadError(f"cannot load student policy {path}: {exc}") from exc
        meta = self.session.get_modelmeta().custom_metadata_map
        if METADATA_KEY not in meta:
            raise StudentLoadError(f"{path} has no '{METADATA_KEY}' metadata; export it with exo_sim's exporter")
        try:
            self.metadata = StudentMetadata.from_json(meta[METADATA_KEY])
        except (ValueError, TypeError) as exc:
            raise StudentLoadError(f"{path}: bad student metadata: {exc}") from exc
        inputs = {i.name: i.shape for i in self.session.get_inputs()}
        outputs = [o.name for o in self.session.get_outputs()]
        if INPUT_NAME not in inputs or OUTPUT_NAME not in outputs:
            raise StudentLoadError(f"{path}: expects input '{INPUT_NAME}' and output '{OUTPUT_NAME}', has {inputs} -> {outputs}")
        self.path = path
        self._feed = np.zeros((1, 2, self.metadata.history), dtype=np.float32)

    def __call__(self, gyro_history_rps: NDArray[np.floating]) -> NDArray[np.float64]:
        """Torques (Nm, left/right) from a [2, history] flexion-rate history (rad/s), oldest first."""
        self._feed[0] = gyro_history_rps
        (out,) = self.session.run([OUTPUT_NAME], {INPUT_NAME: self._feed})
        return np.asarray(out[0], dtype=np.float64)
