"""List the trials (bags) in a folder from their metadata.yaml, without reading messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exo_control.recording.metadata import read_metadata
from exo_control.recording.trial import STATE_KEY, STATE_RECORDING, TrialMetadata


@dataclass(frozen=True)
class TrialInfo:
    path: Path
    meta: TrialMetadata
    state: str  #: complete | recovered | recording (writer died or still running: recover it) | no metadata
    messages: int
    duration_s: float
    start_ns: int

    @property
    def needs_recovery(self) -> bool:
        return self.state in (STATE_RECORDING, "no metadata")


def read_trial(bag: Path) -> TrialInfo | None:
    """TrialInfo of one bag folder; None if the folder is not a bag (no metadata.yaml, no .mcap)."""
    info = read_metadata(bag)
    if not info:
        if any(bag.glob("*.mcap")):
            return TrialInfo(bag, TrialMetadata(), "no metadata", 0, 0.0, 0)
        return None
    custom = info.get("custom_data") or {}
    return TrialInfo(
        path=bag,
        meta=TrialMetadata.from_custom_data(custom),
        state=str(custom.get(STATE_KEY, "complete")),
        messages=int(info.get("message_count", 0)),
        duration_s=int((info.get("duration") or {}).get("nanoseconds", 0)) / 1e9,
        start_ns=int((info.get("starting_time") or {}).get("nanoseconds_since_epoch", 0)),
    )


def list_trials(folder: str | Path) -> list[TrialInfo]:
    """Every bag directly in ``folder`` (or ``folder`` itself if it is a bag), sorted by path."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}")
    own = read_trial(folder)
    if own is not None:
        return [own]
    return [t for t in (read_trial(p) for p in sorted(folder.iterdir()) if p.is_dir()) if t is not None]


def format_trials(trials: list[TrialInfo]) -> str:
    """A fixed-width table, one line per trial."""
    head = f"{'bag':32} {'subject':8} {'condition':12} {'trial':>5} {'m/s':>5} {'deg':>5} {'dur s':>7} {'msgs':>8}  state"
    rows = [head]
    for t in trials:
        m = t.meta
        rows.append(
            f"{t.path.name[:32]:32} {m.subject[:8]:8} {m.condition[:12]:12} {m.trial:5d} {m.speed_mps:5.2f} "
            f"{m.slope_deg:5.1f} {t.duration_s:7.1f} {t.messages:8d}  {t.state}"
            + ("  (run: hip-exo trials recover)" if t.needs_recovery else "")
        )
    return "\n".join(rows)
