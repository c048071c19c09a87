"""Figures of a trial report (matplotlib, Agg backend: no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from exo_control.report.faults import Fault  # noqa: E402
from exo_control.report.gait import StrideProfile  # noqa: E402
from exo_control.report.load import TrialData  # noqa: E402

SIDES = ("left", "right")
DPI = 110


def _mark(ax: plt.Axes, events: np.ndarray, faults: list[Fault]) -> None:
    for t in events:
        ax.axvline(t, color="0.75", lw=0.6, zorder=0)
    for f in faults:
        ax.axvspan(f.first_s, max(f.last_s, f.first_s + 0.02), color="tab:red", alpha=0.15, lw=0)


def torque_over_time(data: TrialData, events: tuple[np.ndarray, np.ndarray], faults: list[Fault], path: Path) -> Path:
    fig, axes = plt.subplots(2, 1, figsize=(11, 5.5), sharex=True)
    for i, ax in enumerate(axes):
        if len(data.request):
            ax.plot(data.request.t, data.request.values[:, i], color="0.6", lw=0.8, ls="--", label="requested (policy)")
        ax.plot(data.command.t, data.command.values[:, i], color="tab:blue", lw=1.2, label="commanded (safety)")
        ax.plot(data.measured.t, data.measured.values[:, i], color="tab:orange", lw=0.9, label="measured (joint_states)")
        _mark(ax, events[i], faults)
        ax.set_ylabel(f"{SIDES[i]} hip torque (Nm)")
        ax.grid(alpha=0.3)
    axes[0].legend(loc="upper right", fontsize=8, ncol=3)
    axes[-1].set_xlabel("time (s); grey lines: peak hip flexion of that leg; red: ERROR on /diagnostics")
    fig.suptitle(f"Torque: {data.path.name}")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def assistance_profile(profiles: dict[str, list[StrideProfile]], unit: str, path: Path) -> Path:
    """profiles: 'command'/'measured' -> [left, right] stride profiles."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    colours = {"command": "tab:blue", "measured": "tab:orange"}
    for i, ax in enumerate(axes):
        for key, profs in profiles.items():
            p = profs[i]
            ax.plot(p.phase_pct, p.mean, color=colours[key], label=f"{key} (n={p.n_strides})")
            ax.fill_between(p.phase_pct, p.mean - p.sd, p.mean + p.sd, color=colours[key], alpha=0.2, lw=0)
        ax.axhline(0, color="k", lw=0.5)
        ax.set_title(f"{SIDES[i]} hip")
        ax.set_xlabel("stride (%), 0 = peak hip flexion")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylabel(f"assistance torque ({unit}), mean +/- sd; flexion +")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def gait_signals(data: TrialData, events: tuple[np.ndarray, np.ndarray], faults: list[Fault], path: Path) -> Path:
    fig, axes = plt.subplots(2, 1, figsize=(11, 5), sharex=True)
    for i in range(2):
        axes[0].plot(data.gyro.t, data.gyro.values[:, i], lw=0.8, label=f"{SIDES[i]} thigh")
        if len(data.angle):
            axes[1].plot(data.angle.t, np.degrees(data.angle.values[:, i]), lw=0.9, label=f"{SIDES[i]} hip")
        ev = events[i]
        if len(data.angle) and len(ev):
            axes[1].plot(ev, np.degrees(np.interp(ev, data.angle.t, data.angle.values[:, i])), "v", ms=5,
                         color=f"C{i}", label=f"{SIDES[i]} peak flexion")
    for ax in axes:
        _mark(ax, np.zeros(0), faults)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper right", ncol=2)
    axes[0].set_ylabel("thigh flexion rate (rad/s)")
    axes[1].set_ylabel("hip flexion (deg)")
    axes[1].set_xlabel("time (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
