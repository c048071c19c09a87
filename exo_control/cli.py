"""``hip-exo``: run the stack in-process (no ROS 2 needed) and check configuration.

    hip-exo launch sim [--config FILE] [--duration S] [--clock sim|wall]
    hip-exo launch hardware [--emulate] ...
    hip-exo check-config FILE --launch sim|hardware
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from exo_control.launch_plan import PLANS, default_config, load_plan_configs
from exo_control.runtime.inprocess import ClockMode, InProcessRuntime, stop_on_signals
from exo_interfaces.params import ConfigError

log = logging.getLogger("hip_exo")


def _launch(args: argparse.Namespace) -> int:
    path = Path(args.config) if args.config else default_config(args.plan)
    nodes = load_plan_configs(args.plan, path)
    clock: ClockMode = args.clock or ("sim" if args.plan == "sim" else "wall")
    runtime = InProcessRuntime(clock)
    with runtime, stop_on_signals(runtime):
        for entry, cls, config in nodes:
            runtime.add_node(cls, config, entry.name)
        log.info("launch %s from %s: %s (%s clock)", args.plan, path, ", ".join(e.name for e, _, _ in nodes), clock)
        runtime.spin(args.duration)
    summary = {"launch": args.plan, "config": str(path), "clock": clock, "sim_time_s": runtime.now_ns() / 1e9}
    if clock == "wall":
        summary["timers"] = runtime.timer_stats()
    print(json.dumps(summary, indent=2))
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
    launch.set_defaults(func=_launch)
    check = sub.add_parser("check-config", help="validate a parameter file for a launch")
    check.add_argument("file")
    check.add_argument("--launch", dest="plan", choices=sorted(PLANS), required=True)
    check.set_defaults(func=_check_config)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
