"""``hip-exo-sim`` / ``python -m exo_sim``: train and evaluate the walking teacher.

    python -m exo_sim train --config config/train/stage1_sagittal.yaml --run-dir runs/stage1 [--resume]
    python -m exo_sim train --config config/train/stage2_sagittal.yaml --run-dir runs/stage2 --init-from runs/stage1/latest.pt
    python -m exo_sim evaluate --checkpoint runs/stage1/latest.pt --out artifacts/teacher/eval_stage1
    python -m exo_sim evaluate --reflex runs/reflex/best.json --config config/train/reflex.yaml --out ...
    python -m exo_sim reflex-tune --config config/train/reflex.yaml --run-dir runs/reflex [--resume]
    python -m exo_sim reflex-schedule --node 1.2:0=artifacts/teacher/reflex_upright.json --node 1.2:-5=runs/m5/best.json --out FILE
    python -m exo_sim bc --reflex runs/reflex/best.json --config config/train/stage1_sagittal.yaml --out runs/bc/bc.pt
    python -m exo_sim plot --run-dir runs/stage1 --out artifacts/teacher/curves_stage1.png
    python -m exo_sim export --checkpoint runs/stage1/latest.pt --out artifacts/teacher/teacher_no_exo.onnx
    python -m exo_sim export-reflex --reflex artifacts/teacher/reflex_stage2_thigh_assist.json --config config/train/reflex_160_upright_assist_thigh.yaml --out T.onnx
    python -m exo_sim distill --teacher artifacts/teacher/teacher_reflex_stage2_thigh_assist.onnx --out exo_control/policy/students/student.onnx
    python -m exo_sim ensemble --student runs/s0/student.onnx --student runs/s1/student.onnx --out E.onnx
    python -m exo_sim compare --no-exo artifacts/teacher/teacher_no_exo.onnx --assisted artifacts/teacher/teacher_assist.onnx --out DIR
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import shlex
import sys
from pathlib import Path
from typing import Any

import yaml

log = logging.getLogger("exo_sim")


def _overrides(pairs: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set expects key=value, got {pair!r}")
        out[key] = yaml.safe_load(value)
    return out


def _command() -> str:
    return "python -m exo_sim " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def _train(args: argparse.Namespace) -> int:
    import torch

    from exo_interfaces.params import to_mapping
    from exo_sim.learning.ppo_runner import TeacherRunner
    from exo_sim.learning.train_config import SECTION, load_train_config

    torch.set_num_threads(args.torch_threads)
    cfg = load_train_config(args.config, _overrides(args.set))
    run_dir = Path(args.run_dir)
    latest = run_dir / "latest.pt"
    if latest.exists() and not args.resume:
        raise SystemExit(f"{run_dir} already has a run; pass --resume to continue it or choose another --run-dir")
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.yaml").write_text(yaml.safe_dump({SECTION: {"ros__parameters": to_mapping(cfg)}}, sort_keys=False))
    with (run_dir / "commands.txt").open("a") as f:
        f.write(_command() + "\n")
    runner = TeacherRunner(cfg, run_dir, command=_command())
    try:
        if args.resume and latest.exists():
            runner.load(latest)
        elif args.init_from:
            runner.init_from(args.init_from)
        remaining = (args.iterations or cfg.iterations) - (runner.iteration if args.resume else 0)
        chunk = cfg.save_interval
        while remaining > 0:
            # Chunks end on checkpoint boundaries, so latest.pt is always an exact resume point.
            n = min(chunk - runner.iteration % chunk, remaining)
            runner.learn(n)
            remaining -= n
    finally:
        runner.close()
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from exo_sim.learning.evaluate import (
        EvalConfig,
        evaluate_grid,
        evaluate_starts,
        load_policy,
        write_outputs,
        write_start_outputs,
    )

    policy, env_cfg, label = load_policy(checkpoint=args.checkpoint, reflex=args.reflex, config=args.config,
                                         onnx=args.onnx)
    ecfg = EvalConfig(speeds_mps=tuple(args.speeds), slopes_deg=tuple(args.slopes), duration_s=args.duration,
                      seed=args.seed)
    title = f"{label}\n\nCommand: `{_command()}`"
    if args.start_seeds:
        rows = evaluate_starts(policy, env_cfg, ecfg, args.start_seeds)
        paths = write_start_outputs(rows, Path(args.out), duration_s=args.duration, title=title)
    else:
        paths = write_outputs(evaluate_grid(policy, env_cfg, ecfg), Path(args.out), title=title)
    print(json.dumps({k: str(v) for k, v in paths.items()}, indent=2))
    return 0


def _reflex_tune(args: argparse.Namespace) -> int:
    from exo_sim.learning.reflex_tune import load_reflex_tune_config, tune

    cfg = load_reflex_tune_config(args.config, _overrides(args.set))
    best = tune(cfg, Path(args.run_dir), resume=args.resume, generations=args.generations, command=_command())
    print(json.dumps(best, indent=2))
    return 0


def _reflex_schedule(args: argparse.Namespace) -> int:
    from exo_sim.learning.reflex_schedule import ReflexSchedule, node_from_tuning

    nodes = []
    for spec in args.node:
        where, _, path = spec.partition("=")
        speed, _, slope = where.partition(":")
        try:
            at = float(speed), float(slope)
        except ValueError:
            raise SystemExit(f"--node expects SPEED_MPS:SLOPE_DEG=best.json, got {spec!r}") from None
        if not path:
            raise SystemExit(f"--node expects SPEED_MPS:SLOPE_DEG=best.json, got {spec!r}")
        nodes.append(node_from_tuning(path, *at))
    schedule = ReflexSchedule.from_nodes(nodes)
    Path(args.out).write_text(json.dumps({"command": _command(), **schedule.to_json()}, indent=2))
    print(args.out)
    return 0


def _bc(args: argparse.Namespace) -> int:
    import torch

    from exo_sim.learning.bc import clone_reflex
    from exo_sim.learning.train_config import load_train_config

    torch.set_num_threads(args.torch_threads)
    cfg = load_train_config(args.config, _overrides(args.set))
    stats = clone_reflex(cfg, Path(args.reflex), Path(args.out), steps=args.steps, epochs=args.epochs,
                         command=_command())
    print(json.dumps(stats, indent=2))
    return 0


def _plot(args: argparse.Namespace) -> int:
    from exo_sim.learning.plots import plot_learning_curves

    plot_learning_curves([Path(d) for d in args.run_dir], Path(args.out))
    print(args.out)
    return 0


def _export(args: argparse.Namespace) -> int:
    from exo_sim.learning.policy import export_checkpoint

    print(export_checkpoint(Path(args.checkpoint), Path(args.out), command=_command()))
    return 0


def _export_reflex(args: argparse.Namespace) -> int:
    from exo_sim.learning.teacher_export import export_reflex_teacher

    print(export_reflex_teacher(args.reflex, args.config, args.out, command=_command()))
    return 0


def _distill(args: argparse.Namespace) -> int:
    import torch

    from exo_interfaces.params import from_mapping
    from exo_sim.learning.distill import DistillConfig, distill_to_file

    torch.set_num_threads(args.torch_threads)
    cfg = from_mapping(DistillConfig, _overrides(args.set), source="--set")
    result = distill_to_file(args.teacher, args.out, cfg, command=_command())
    report = Path(args.out).with_suffix(".eval.json")
    report.write_text(json.dumps({"command": _command(), "config": _config_dict(cfg), **result}, indent=2))
    print(json.dumps(result["held_out"], indent=2))
    return 0


def _ensemble(args: argparse.Namespace) -> int:
    from exo_sim.learning.student_ensemble import ensemble_students

    meta = ensemble_students(args.student, args.out, command=_command())
    print(f"{args.out}: mean of {len(args.student)} students ({meta.history} samples at {meta.rate_hz:g} Hz)")
    return 0


def _config_dict(cfg: Any) -> dict[str, Any]:
    from exo_interfaces.params import to_mapping

    return to_mapping(cfg)


def _compare(args: argparse.Namespace) -> int:
    from exo_interfaces.params import from_mapping
    from exo_sim.learning.compare import CompareConfig, compare, write_outputs
    from exo_sim.learning.evaluate import load_policy
    from exo_sim.models.build import build_model

    cfg = from_mapping(CompareConfig, _overrides(args.set), source="--set")

    def source(path: str, config: str | None, flag: str) -> tuple[Any, Any, str]:
        """A teacher ONNX, or reflex parameters (.json from reflex-tune) with the config they were tuned in."""
        if path.endswith(".json"):
            if not config:
                raise ValueError(f"compare: {flag} {path} is a reflex parameter file; give {flag}-config "
                                 f"(the reflex-tune config it was tuned with)")
            return load_policy(reflex=path, config=config)
        return load_policy(onnx=path)

    no_exo, no_exo_env, no_exo_label = source(args.no_exo, args.no_exo_config, "--no-exo")
    assisted, trained, assisted_label = source(args.assisted, args.assisted_config, "--assisted")
    if args.no_exo_unpowered:  # the same policy and profile, but the motors get no current
        no_exo_env = dataclasses.replace(no_exo_env, exo_mode="no_exo")
        no_exo_label += ", with the exo worn and unpowered"
    elif no_exo_env.exo_mode == "assist":
        raise ValueError(f"compare: the --no-exo condition ({args.no_exo}) drives the exo (env.exo_mode: assist)")
    sim = build_model(trained.body, trained.exo, timestep_s=trained.timestep_s)  # one build for both envs
    rows = compare(no_exo, assisted, no_exo_env, trained, cfg, sim=sim)
    header = (f"# Assisted vs no-exo\n\n`{_command()}`\n\nno-exo: {no_exo_label}; assisted: {assisted_label}. "
              f"Body mass with exo {sim.total_mass_kg:.1f} kg. Changes are (assisted - no_exo) / no_exo over strides "
              f"after the first {cfg.skip_strides}; NaN where a condition produced too few strides.")
    print(write_outputs(rows, Path(args.out), header=header))
    return 0


def _compare_merge(args: argparse.Namespace) -> int:
    from exo_sim.learning.compare import merge, write_outputs

    rows = merge([Path(d) for d in args.runs])
    header = (f"# Assisted vs no-exo, merged\n\n`{_command()}`\n\nEach row comes from the comparison named in its "
              f"source column; that folder's report.md names its two people, their configs and its command, and "
              f"holds its assistance profiles.")
    print(write_outputs(rows, Path(args.out), header=header))
    return 0


def _compare_spread(args: argparse.Namespace) -> int:
    from exo_sim.learning.compare_spread import spread, write_spread

    header = (f"# Assisted vs no-exo across pairings of separately tuned people\n\n`{_command()}`\n\n"
              f"Pairings: " + ", ".join(f"`{d}`" for d in args.runs) + " (each folder's report.md names its two people).")
    print(write_spread(spread([Path(d) for d in args.runs]), Path(args.out), header=header))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hip-exo-sim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    train = sub.add_parser("train", help="train one stage of the teacher (PPO)")
    train.add_argument("--config", required=True)
    train.add_argument("--run-dir", required=True)
    train.add_argument("--resume", action="store_true", help="continue from RUN_DIR/latest.pt")
    train.add_argument("--init-from", help="start from another stage's checkpoint (stage 2 from stage 1, or bc)")
    train.add_argument("--iterations", type=int, help="total iterations of this stage (default: config)")
    train.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override, e.g. num_envs=8")
    train.add_argument("--torch-threads", type=int, default=1)
    train.set_defaults(func=_train)

    ev = sub.add_parser("evaluate", help="speed x slope grid: success, speed error, gait features")
    src = ev.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="PPO checkpoint (.pt)")
    src.add_argument("--reflex", help="reflex parameters (.json from reflex-tune)")
    src.add_argument("--onnx", help="exported teacher (.onnx)")
    ev.add_argument("--config", help="training config (for --reflex: the env it was tuned in)")
    ev.add_argument("--out", required=True)
    ev.add_argument("--speeds", type=float, nargs="+", default=[0.8, 1.0, 1.2, 1.4, 1.6])
    ev.add_argument("--slopes", type=float, nargs="+", default=[-10.0, -5.0, 0.0, 5.0, 10.0])
    ev.add_argument("--duration", type=float, default=20.0)
    ev.add_argument("--seed", type=int, default=0)
    ev.add_argument("--start-seeds", type=int, nargs="+", metavar="SEED",
                    help="run the grid from each of these start seeds instead of --seed and count, per condition, "
                         "the starts it walks from (starts.csv, starts.md)")
    ev.set_defaults(func=_evaluate)

    rt = sub.add_parser("reflex-tune", help="CMA-ES tuning of the reflex walking controller")
    rt.add_argument("--config", required=True)
    rt.add_argument("--run-dir", required=True)
    rt.add_argument("--resume", action="store_true")
    rt.add_argument("--generations", type=int)
    rt.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    rt.set_defaults(func=_reflex_tune)

    rs = sub.add_parser("reflex-schedule", help="one reflex controller from parameter files tuned per (speed, slope)")
    rs.add_argument("--node", action="append", required=True, metavar="SPEED_MPS:SLOPE_DEG=FILE",
                    help="the reflex-tune best.json for one grid node; the nodes must fill a speed x slope grid")
    rs.add_argument("--out", required=True)
    rs.set_defaults(func=_reflex_schedule)

    bc = sub.add_parser("bc", help="behaviour-clone the reflex controller into a PPO actor (warm start)")
    bc.add_argument("--reflex", required=True)
    bc.add_argument("--config", required=True, help="the PPO stage config the actor is for")
    bc.add_argument("--out", required=True)
    bc.add_argument("--steps", type=int, default=200, help="rollout steps per env to collect")
    bc.add_argument("--epochs", type=int, default=30)
    bc.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    bc.add_argument("--torch-threads", type=int, default=1)
    bc.set_defaults(func=_bc)

    pl = sub.add_parser("plot", help="learning curves PNG from run directories")
    pl.add_argument("--run-dir", nargs="+", required=True)
    pl.add_argument("--out", required=True)
    pl.set_defaults(func=_plot)

    ex = sub.add_parser("export", help="export a checkpoint's actor as a teacher ONNX (sim bridge format)")
    ex.add_argument("--checkpoint", required=True)
    ex.add_argument("--out", required=True)
    ex.set_defaults(func=_export)

    er = sub.add_parser("export-reflex", help="a tuned reflex person (parameters or schedule, with its assistance "
                                              "profile if any) as a teacher ONNX (sim bridge format, network zero)")
    er.add_argument("--reflex", required=True, help="reflex-tune best.json or reflex-schedule file")
    er.add_argument("--config", required=True, help="the reflex-tune config it was tuned with (its env)")
    er.add_argument("--out", required=True)
    er.set_defaults(func=_export_reflex)

    di = sub.add_parser("distill", help="DAgger: the assisted teacher's exo torques -> gyro-only student ONNX")
    di.add_argument("--teacher", required=True, help="exported assisted teacher (.onnx)")
    di.add_argument("--out", required=True, help="student .onnx (evaluation written beside it as .eval.json)")
    di.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="DistillConfig override")
    di.add_argument("--torch-threads", type=int, default=1)
    di.set_defaults(func=_distill)

    en = sub.add_parser("ensemble", help="several students of one teacher as one ONNX averaging their torques")
    en.add_argument("--student", action="append", required=True, help="student .onnx (give two or more)")
    en.add_argument("--out", required=True, help="ensemble .onnx (same I/O contract as a single student)")
    en.set_defaults(func=_ensemble)

    co = sub.add_parser("compare", help="assisted vs no-exo over the speed x slope grid (CSV, PNG, markdown)")
    co.add_argument("--no-exo", required=True, help="exported stage-1 teacher (.onnx), or reflex parameters (.json)")
    co.add_argument("--assisted", required=True, help="exported stage-2 teacher (.onnx), or reflex parameters with an assistance profile (.json)")
    co.add_argument("--no-exo-config", help="for a .json --no-exo: the reflex-tune config it was tuned with")
    co.add_argument("--assisted-config", help="for a .json --assisted: the reflex-tune config it was tuned with")
    co.add_argument("--no-exo-unpowered", action="store_true",
                    help="the --no-exo person may be an assisted one (its config drives the exo): it walks with the exo "
                         "worn and unpowered. With the same person as --assisted, the change is the torque's own "
                         "effect on the adapted gait, apart from how that gait differs from a control's")
    co.add_argument("--out", required=True)
    co.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="CompareConfig override")
    co.set_defaults(func=_compare)

    cm = sub.add_parser("compare-merge", help="one table and trend figure from several compare outputs (e.g. one pair per slope)")
    cm.add_argument("--runs", nargs="+", required=True, help="compare --out folders; a condition may appear in only one")
    cm.add_argument("--out", required=True)
    cm.set_defaults(func=_compare_merge)

    cs = sub.add_parser("compare-spread", help="the spread of each change across pairings of separately tuned people "
                                               "(each assisted search against each control)")
    cs.add_argument("--runs", nargs="+", required=True, help="compare --out folders, one per pairing")
    cs.add_argument("--out", required=True)
    cs.set_defaults(func=_compare_spread)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
