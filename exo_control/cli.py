"""``hip-exo``: run the stack in-process (no ROS 2 needed) and check configuration.

    hip-exo launch sim [--config FILE] [--duration S] [--clock sim|wall]
    hip-exo launch hardware [--emulate] ...
    hip-exo launch sim --record [--bag DIR] [--subject S --condition C --trial N --speed M/S --slope DEG]
    hip-exo check-config FILE --launch sim|hardware
    hip-exo trials list DIR | hip-exo trials recover BAG
    hip-exo report BAG [--out DIR]
    hip-exo live [sim|hardware] [--port 8765] [launch options] | hip-exo live --replay BAG
    hip-exo closed-loop --teacher T.onnx --student S.onnx --speeds 0.8 1.2 --slopes 0 --out DIR
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from contextlib import ExitStack
from pathlib import Path

from exo_control.drivers.errors import ImuError, MotorError
from exo_control.launch_plan import PLANS, default_config, load_plan_configs
from exo_control.policy.student_runner import StudentLoadError
from exo_control.recording.errors import RecorderError
from exo_control.recording.launch_support import add_record_arguments, recorder_config
from exo_control.runtime.inprocess import ClockMode, InProcessRuntime, stop_on_signals
from exo_interfaces.params import ConfigError

log = logging.getLogger("hip_exo")


def _launch(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else default_config(args.plan)
    nodes = load_plan_configs(args.plan, path)
    clock: ClockMode = args.clock or ("sim" if args.plan == "sim" else "wall")
    rec_config = recorder_config(args, path, nodes)
    runtime = InProcessRuntime(clock)
    with ExitStack() as devices:
        if getattr(args, "emulate", False):
            if args.plan != "hardware":
                raise ConfigError("--emulate applies to the hardware launch only")
            from exo_control.emulators.dry_run import emulated_hardware

            hw = devices.enter_context(emulated_hardware({e.name: cfg for e, _, cfg in nodes}))
            nodes = [(e, cls, hw.configs[e.name]) for e, cls, _ in nodes]
        with runtime, stop_on_signals(runtime):
            for entry, cls, config in nodes:
                runtime.add_node(cls, config, entry.name)
            if rec_config is not None:
                from exo_control.nodes.recorder_node import RecorderNode

                runtime.add_node(RecorderNode, rec_config, "recorder")
            if getattr(args, "port", None) is not None:
                from exo_control.liveview import LiveViewConfig, LiveViewNode

                runtime.add_node(LiveViewNode, LiveViewConfig(port=args.port), "liveview")
            log.info("launch %s from %s: %s (%s clock)", args.plan, path, ", ".join(e.name for e, _, _ in nodes), clock)
            runtime.spin(args.duration)
    summary: dict[str, object] = {"launch": args.plan, "config": str(path), "clock": clock,
                                  "node_time_s": runtime.now_ns() / 1e9}
    if clock == "wall":
        summary["timers"] = runtime.timer_stats()
    bridge = next((n for n in runtime.nodes if n.handle.name == "sim_bridge"), None)
    if bridge is not None:
        summary["trial"] = bridge.summary()  # type: ignore[attr-defined]
    recorder = next((n for n in runtime.nodes if n.handle.name == "recorder"), None)
    if recorder is not None:
        summary["bag"] = str(recorder.path)  # type: ignore[attr-defined]
        summary["recorder"] = recorder.writer.stats.as_dict()  # type: ignore[attr-defined]
    print(json.dumps(summary, indent=2))
    return 1 if recorder is not None and recorder.error is not None else 0  # type: ignore[attr-defined]


def _trials(args: argparse.Namespace) -> int:
    from exo_control.recording import format_trials, list_trials, recover_bag

    if args.action == "list":
        print(format_trials(list_trials(args.path)))
        return 0
    result = recover_bag(args.path, force=args.force)
    print(f"{result.bag}: {result.messages} messages readable "
          f"({'already complete' if result.was_complete else f'{result.damaged_tail_bytes} bytes of damaged tail dropped'})")
    return 0


def _report(args: argparse.Namespace) -> int:
    from exo_control.report import make_report

    report = make_report(args.bag, args.out)
    print(f"report: {report.markdown}")
    for fig in report.figures:
        print(f"figure: {fig}")
    return 0


def _live_replay(args: argparse.Namespace) -> int:
    from exo_control.liveview.replay import serve_bag

    return serve_bag(args.replay, port=args.port, rate=args.rate)


def _closed_loop(args: argparse.Namespace) -> int:
    import shlex

    from exo_control.closed_loop import run_grid, write_outputs
    from exo_sim.learning.export import git_commit

    config = Path(args.config) if args.config else default_config("sim")
    seeds = args.seeds or [args.seed]
    rows = run_grid(config, args.teacher, args.student, args.speeds, args.slopes, args.duration, seeds,
                    unpowered=args.unpowered, control=args.control or "")
    command = "hip-exo " + " ".join(shlex.quote(a) for a in args.argv)
    header = (f"# Closed loop through topics\n\n`{command}`\n\nTeacher (the person's muscles) `{args.teacher}`, student "
              f"(policy node, through the safety node) `{args.student}`, launch parameters `{config}`, "
              f"{args.duration:g} s of sim time per condition, seed {' '.join(map(str, seeds))}, code {git_commit()}. r and RMSE compare the torque the motors "
              f"received with the teacher's own torque on the same states; a fall resets the person.")
    print(write_outputs(rows, args.out, header))
    return 0


def _check_config(args: argparse.Namespace) -> int:
    nodes = load_plan_configs(args.plan, args.file)
    print(f"{args.file}: OK for '{args.plan}' ({', '.join(e.name for e, _, _ in nodes)})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hip-exo", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    launch = sub.add_parser("launch", help="run a launch in-process")
    launch.add_argument("plan", choices=sorted(PLANS))
    launch.add_argument("--config", help="ROS 2 parameter file (default: config/<plan>.yaml)")
    launch.add_argument("--duration", type=float, default=None, help="seconds of node clock to run (default: until Ctrl-C)")
    launch.add_argument("--clock", choices=("sim", "wall"), help="default: sim for 'sim', wall for 'hardware'")
    launch.add_argument("--emulate", action="store_true",
                        help="hardware: the real drivers against the motor and IMU emulators (dry run, no device)")
    add_record_arguments(launch)
    launch.set_defaults(func=_launch)
    live = sub.add_parser("live", help="live torque plots in a browser (127.0.0.1): of a launch, or of a bag replayed")
    live.add_argument("plan", nargs="?", choices=sorted(PLANS), default="sim")
    live.add_argument("--port", type=int, default=8765, help="local port (127.0.0.1 only)")
    live.add_argument("--config", help="ROS 2 parameter file (default: config/<plan>.yaml)")
    live.add_argument("--duration", type=float, default=None)
    live.add_argument("--clock", choices=("sim", "wall"), default="wall")
    live.add_argument("--replay", metavar="BAG", help="replay this bag instead of running a launch")
    live.add_argument("--rate", type=float, default=1.0, help="replay speed factor (with --replay)")
    add_record_arguments(live)
    live.set_defaults(func=lambda a: _live_replay(a) if a.replay else _launch(a))
    trials = sub.add_parser("trials", help="list trial bags, recover a bag whose recorder died")
    trials.add_argument("action", choices=("list", "recover"))
    trials.add_argument("path", help="folder of bags (list) or one bag (recover)")
    trials.add_argument("--force", action="store_true", help="recover: rebuild metadata even of a complete bag")
    trials.set_defaults(func=_trials)
    report = sub.add_parser("report", help="figures and a markdown summary of one trial bag")
    report.add_argument("bag")
    report.add_argument("--out", help="output folder (default: <bag>/report)")
    report.set_defaults(func=_report)
    loop = sub.add_parser("closed-loop", help="the sim launch per speed x slope: falls, speed, student vs teacher torque")
    loop.add_argument("--teacher", required=True, help="teacher ONNX driving the simulated person's muscles")
    loop.add_argument("--student", required=True, help="student ONNX in the policy node")
    loop.add_argument("--speeds", type=float, nargs="+", default=[0.8, 1.0, 1.2, 1.4, 1.6], help="m/s")
    loop.add_argument("--slopes", type=float, nargs="+", default=[0.0], help="deg")
    loop.add_argument("--duration", type=float, default=20.0, help="sim seconds per condition")
    seeding = loop.add_mutually_exclusive_group()
    seeding.add_argument("--seed", type=int, default=0, help="bridge seed (start state, sensor noise)")
    seeding.add_argument("--seeds", type=int, nargs="+", help="several bridge seeds: one run each, and a table over them "
                                                             "with the closed-loop criterion")
    loop.add_argument("--unpowered", action="store_true",
                      help="also walk the teacher's person with the exo unpowered: effort changes of the student's torque itself")
    loop.add_argument("--control", help="no-exo teacher ONNX: its person walks with the exo unpowered, the effort "
                                        "baseline of the assisted vs no-exo comparison through the nodes")
    loop.add_argument("--config", help="sim launch parameter file (default: config/sim.yaml)")
    loop.add_argument("--out", required=True)
    loop.set_defaults(func=_closed_loop)
    check = sub.add_parser("check-config", help="validate a parameter file for a launch")
    check.add_argument("file")
    check.add_argument("--launch", dest="plan", choices=sorted(PLANS), required=True)
    check.set_defaults(func=_check_config)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.argv = sys.argv[1:] if argv is None else argv  # the command, as run, for reports
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except RecorderError as exc:
        print(f"recording error: {exc}", file=sys.stderr)
        return 3
    except (MotorError, ImuError, StudentLoadError, FileNotFoundError) as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 4


if __name__ == "__main__":
    sys.exit(main())
