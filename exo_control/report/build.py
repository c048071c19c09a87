"""A trial report: figures (PNG) and a short markdown summary of one bag."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from exo_control.report import figures
from exo_control.report.faults import Fault, faults
from exo_control.report.gait import StrideProfile, events_from_angle, events_from_gyro, profile, strides
from exo_control.report.load import TrialData, load_trial

log = logging.getLogger(__name__)


@dataclass
class Report:
    out_dir: Path
    markdown: Path
    figures: list[Path] = field(default_factory=list)
    n_strides: tuple[int, int] = (0, 0)
    faults: list[Fault] = field(default_factory=list)


def gait_events(data: TrialData) -> tuple[tuple[np.ndarray, np.ndarray], str]:
    """Peak-hip-flexion times of each leg, and which signal they came from."""
    if len(data.angle) and np.isfinite(data.angle.values).any():
        return (events_from_angle(data.angle.t, data.angle.values[:, 0]),
                events_from_angle(data.angle.t, data.angle.values[:, 1])), "hip angle peaks (/exo/joint_states)"
    if len(data.gyro):
        return (events_from_gyro(data.gyro.t, data.gyro.values[:, 0]),
                events_from_gyro(data.gyro.t, data.gyro.values[:, 1])), "thigh gyro zero crossings (/exo/imu/*_thigh)"
    return (np.zeros(0), np.zeros(0)), "none (no joint angle or thigh gyro in the bag)"


def make_report(bag: str | Path, out_dir: str | Path | None = None) -> Report:
    """Read ``bag`` and write figures and ``report.md`` into ``out_dir`` (default ``<bag>/report``)."""
    data = load_trial(bag)
    out = Path(out_dir) if out_dir else Path(bag) / "report"
    out.mkdir(parents=True, exist_ok=True)
    events, source = gait_events(data)
    segs = [strides(ev) for ev in events]
    mass = data.meta.body_mass_kg
    scale, unit = (1.0 / mass, "Nm/kg") if mass > 0 else (1.0, "Nm")
    profiles: dict[str, list[StrideProfile]] = {}
    for key, series in (("command", data.command), ("measured", data.measured)):
        profiles[key] = [profile(series.t, series.values[:, i], segs[i], scale) if len(series)
                         else profile(np.zeros(2), np.zeros(2), [], scale) for i in range(2)]
    found = faults(data.diagnostics)
    rep = Report(out_dir=out, markdown=out / "report.md", n_strides=(len(segs[0]), len(segs[1])), faults=found)
    rep.figures = [
        figures.torque_over_time(data, events, found, out / "torque.png"),
        figures.assistance_profile(profiles, unit, out / "assistance_profile.png"),
        figures.gait_signals(data, events, found, out / "gait.png"),
    ]
    rep.markdown.write_text(_markdown(data, source, segs, profiles, unit, found, rep), encoding="utf8")
    log.info("report of %s in %s", bag, out)
    return rep


def _rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.nanmean(a**2))) if a.size else float("nan")


def _markdown(data: TrialData, source: str, segs: list[list[tuple[float, float]]],
              profiles: dict[str, list[StrideProfile]], unit: str, found: list[Fault], rep: Report) -> str:
    m = data.meta
    lines = [
        f"# Trial report: {data.path.name}",
        "",
        "| subject | condition | trial | speed (m/s) | slope (deg) | mass (kg) | policy | duration (s) |",
        "|---|---|---|---|---|---|---|---|",
        f"| {m.subject or '-'} | {m.condition or '-'} | {m.trial} | {m.speed_mps:g} | {m.slope_deg:g} | "
        f"{m.body_mass_kg or 'unknown'} | {Path(m.policy).name or '-'} | {data.duration_s:.1f} |",
        "",
        f"Bag state: {data.custom.get('hip_exo.state', 'complete')}; messages per topic: "
        + ", ".join(f"{k} {v}" for k, v in sorted(data.counts.items()) if v),
        "",
        "## Gait",
        f"Stride events: {source}; a stride runs from one peak hip flexion (about heel strike) to the next of "
        "the same leg; strides outside 0.7-1.3x the median duration are dropped.",
        "",
        "| leg | strides | stride time (s) | peak command | peak measured | RMS command - measured (Nm) |",
        "|---|---|---|---|---|---|",
    ]
    for i, side in enumerate(("left", "right")):
        d = np.array([b - a for a, b in segs[i]])
        pc, pm = profiles["command"][i], profiles["measured"][i]
        err = np.zeros(0)
        if len(data.command) and len(data.measured):
            err = np.interp(data.measured.t, data.command.t, data.command.values[:, i]) - data.measured.values[:, i]
        lines.append(
            f"| {side} | {len(d)} | {d.mean():.3f} +/- {d.std():.3f} | " if len(d) else f"| {side} | 0 | - | "
        )
        lines[-1] += (f"{np.nanmax(pc.mean):.3f} {unit} | {np.nanmax(pm.mean):.3f} {unit} | {_rms(err):.3f} |"
                      if pc.n_strides else f"- | - | {_rms(err):.3f} |")
    lines += ["", "## Faults (ERROR on /diagnostics)", ""]
    if found:
        lines += ["| first (s) | last (s) | status | message |", "|---|---|---|---|"]
        lines += [f"| {f.first_s:.3f} | {f.last_s:.3f} | {f.name} | {f.message} |" for f in found]
    else:
        lines.append("None.")
    lines += ["", "## Figures", ""] + [f"![{p.stem}]({p.name})" for p in rep.figures] + [""]
    return "\n".join(lines)
