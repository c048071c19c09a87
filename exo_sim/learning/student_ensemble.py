"""Several students of one teacher as one ONNX file whose torque is the mean of theirs.

Averaging members distilled with different seeds is a standard way to reduce seed-to-seed variance
without retraining. The result keeps the student I/O contract (one ``gyro_history`` input, one
``hip_torque`` output, the metadata the policy node reads), so it deploys like any single student,
at the members' summed inference cost. Measured on the seed-6 -5 deg people (stop 34,
``artifacts/closed_loop/README.md``), ensembles fell where the teacher walks at 1.6 m/s as often as
single students did.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import onnx
from onnx import compose, helper

from exo_interfaces.student_io import INPUT_NAME, METADATA_KEY, OUTPUT_NAME, StudentMetadata
from exo_sim.learning.export import git_commit


class EnsembleError(ValueError):
    """The members cannot be averaged: unreadable, no student metadata, or different I/O layouts."""


def _member_metadata(path: Path, model: onnx.ModelProto) -> StudentMetadata:
    meta = {p.key: p.value for p in model.metadata_props}
    if METADATA_KEY not in meta:
        raise EnsembleError(f"{path} has no '{METADATA_KEY}' metadata; only exported students can be averaged")
    try:
        return StudentMetadata.from_json(meta[METADATA_KEY])
    except (ValueError, TypeError) as exc:
        raise EnsembleError(f"{path}: bad student metadata: {exc}") from exc


def ensemble_students(members: list[str | Path], out: str | Path, *, command: str = "") -> StudentMetadata:
    """Write to ``out`` one ONNX model whose ``hip_torque`` is the mean of the members' (Nm).

    The members must share rate, history length and body mass: they are fed one history and their
    torques are averaged, which is only meaningful for students of one teacher and one sensor layout.
    The metadata records each member's path, SHA-256, training commit and command.
    """
    if len(members) < 2:
        raise EnsembleError(f"an ensemble needs at least two students, got {len(members)}")
    paths = [Path(p) for p in members]
    models, metas, digests = [], [], []
    for path in paths:
        if not path.is_file():
            raise EnsembleError(f"student file not found: {path}")
        data = path.read_bytes()  # read once: hashed for the record, parsed for the graph
        try:
            model = onnx.load_from_string(data)
        except Exception as exc:  # onnx raises DecodeError and friends
            raise EnsembleError(f"cannot read student {path}: {exc}") from exc
        models.append(model)
        metas.append(_member_metadata(path, model))
        digests.append(hashlib.sha256(data).hexdigest())
    for i, digest in enumerate(digests):
        if digest in digests[:i]:
            raise EnsembleError(f"{paths[i]} is the same file as {paths[digests.index(digest)]}; "
                                "a member given twice would silently outweigh the others")
    first = metas[0]
    opsets = [sorted((o.domain, o.version) for o in m.opset_import) for m in models]
    for path, meta, opset in zip(paths[1:], metas[1:], opsets[1:]):
        for field in ("rate_hz", "history", "body_mass_kg"):
            if getattr(meta, field) != getattr(first, field):
                raise EnsembleError(
                    f"{path}: {field} {getattr(meta, field)} differs from {paths[0]}'s {getattr(first, field)}; "
                    "only students of one teacher and sensor layout can be averaged")
        if opset != opsets[0]:
            raise EnsembleError(f"{path}: opsets {opset} differ from {paths[0]}'s {opsets[0]}")

    nodes, initializers, member_outputs = [], [], []
    for i, model in enumerate(models):
        prefixed = compose.add_prefix(model, prefix=f"member{i}/")
        graph = prefixed.graph
        nodes.append(helper.make_node("Identity", [INPUT_NAME], [f"member{i}/{INPUT_NAME}"], name=f"member{i}/feed"))
        nodes.extend(graph.node)
        initializers.extend(graph.initializer)
        member_outputs.append(f"member{i}/{OUTPUT_NAME}")
    nodes.append(helper.make_node("Mean", member_outputs, [OUTPUT_NAME], name="ensemble_mean"))
    template = models[0].graph
    graph = helper.make_graph(nodes, "student_ensemble", [template.input[0]], [template.output[0]], initializers)
    merged = helper.make_model(graph, opset_imports=list(models[0].opset_import), ir_version=models[0].ir_version)

    record = [{"file": str(p), "sha256": d, "training_commit": m.training_commit, "training_command": m.training_command}
              for p, d, m in zip(paths, digests, metas)]
    meta = StudentMetadata(
        rate_hz=first.rate_hz,
        history=first.history,
        body_mass_kg=first.body_mass_kg,
        training_commit=git_commit(),
        training_command=f"{command}\nmean of {len(paths)} students: {json.dumps(record)}",
    )
    entry = merged.metadata_props.add()
    entry.key, entry.value = METADATA_KEY, meta.to_json()
    onnx.checker.check_model(merged, full_check=True)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(merged, str(out))
    return meta
