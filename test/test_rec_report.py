"""Trial report: gait events (hand-computed cases), stride normalisation, figures and faults from a bag;
the CLI commands that list trials and write reports; launch options -> recorder config."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from exo_control.cli import main
from exo_control.recording import RecorderConfig
from exo_control.recording.launch_support import add_record_arguments, recorder_config
from exo_control.recording.synthetic_trial import build_synthetic_trial
from exo_control.report import make_report
from exo_control.report.gait import events_from_angle, events_from_gyro, normalise, profile, strides
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import ConfigError


def test_gait_events_hand_computed() -> None:
    t = np.arange(0, 5, 0.005)
    angle = 0.3 * np.sin(2 * np.pi * t / 1.0)  # peaks at 0.25 + k s
    np.testing.assert_allclose(events_from_angle(t, angle), [0.25, 1.25, 2.25, 3.25, 4.25], atol=0.005)
    rate = np.cos(2 * np.pi * t / 1.0)  # crosses zero downwards at 0.25 + k s (the same event)
    np.testing.assert_allclose(events_from_gyro(t, rate), [0.25, 1.25, 2.25, 3.25, 4.25], atol=1e-4)
    assert strides(np.array([0.0, 1.0, 2.0, 2.3, 3.3])) == [(0.0, 1.0), (1.0, 2.0), (2.3, 3.3)]


def test_stride_normalisation_hand_computed() -> None:
    t = np.linspace(0, 4, 401)
    y = t % 1.0  # a ramp 0 -> 1 in each 1 s stride
    segs = [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]
    curves = normalise(t, y, segs)
    assert curves.shape == (3, 101)
    np.testing.assert_allclose(curves[:, 50], 0.5, atol=1e-9)
    p = profile(t, 2 * t, [(0.0, 1.0), (1.0, 2.0)], scale=0.5)  # strides of t: means 0.5.., sd 0.707 (ddof 1)
    np.testing.assert_allclose(p.mean[0], 0.5) and np.testing.assert_allclose(p.sd[0], np.sqrt(0.5))


def _record(bag: Path, seconds: float = 6.0, estop_at: float | None = 5.0) -> None:
    rt = InProcessRuntime("sim")
    with rt:
        build_synthetic_trial(rt, RecorderConfig(bag=str(bag), subject="s03", condition="assisted", trial=2,
                                                 body_mass_kg=80.0, min_free_mb=0.0, fsync=False))
        if estop_at is None:
            rt.spin(seconds)
            return
        rt.spin(estop_at)
        rt.handle("operator").create_publisher(c.ESTOP).publish(m.Bool(data=True))
        rt.spin(seconds - estop_at)


def test_report_of_a_bag(tmp_path: Path) -> None:
    bag = tmp_path / "s03_t02"
    _record(bag)
    rep = make_report(bag, tmp_path / "rep")
    assert [p.name for p in rep.figures] == ["torque.png", "assistance_profile.png", "gait.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" and p.stat().st_size > 10_000 for p in rep.figures)
    assert rep.n_strides[0] >= 4 and rep.n_strides[1] >= 4  # 6 s at 1.1 s/stride
    [fault] = rep.faults
    assert "estop" in fault.message and fault.first_s == pytest.approx(5.0, abs=0.01)
    text = rep.markdown.read_text()
    assert "| s03 | assisted | 2 |" in text and "1.100 +/- 0.000" in text and "Nm/kg" in text and "estop" in text
    left = next(line for line in text.splitlines() if line.startswith("| left |"))
    peak = float(left.split("|")[4].split()[0])
    assert 0.06 < peak <= 0.101  # 8 Nm / 80 kg at most; the mean includes the soft start and the stride after the e-stop


def test_cli_lists_trials_and_writes_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _record(tmp_path / "s03_t02", seconds=3.0, estop_at=None)
    assert main(["trials", "list", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "s03_t02" in out and "assisted" in out and "complete" in out
    assert main(["report", str(tmp_path / "s03_t02")]) == 0
    assert (tmp_path / "s03_t02" / "report" / "report.md").is_file()
    assert main(["trials", "recover", str(tmp_path / "s03_t02")]) == 0
    assert "already complete" in capsys.readouterr().out


def test_launch_options_make_recorder_config(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text("recorder:\n  ros__parameters:\n    output_dir: /data/trials\n    flush_period_s: 0.2\n")
    parser = argparse.ArgumentParser()
    add_record_arguments(parser)
    args = parser.parse_args(["--record", "--subject", "s09", "--trial", "4", "--speed", "1.4", "--slope", "-5"])
    cfg = recorder_config(args, params, [])
    assert cfg is not None and (cfg.subject, cfg.trial, cfg.speed_mps, cfg.slope_deg) == ("s09", 4, 1.4, -5.0)
    assert cfg.output_dir == "/data/trials" and cfg.flush_period_s == 0.2
    assert recorder_config(parser.parse_args([]), params, []) is None
    with pytest.raises(ConfigError, match="speed_mps"):
        recorder_config(parser.parse_args(["--record", "--speed", "9"]), params, [])
    params.write_text("recorder:\n  ros__parameters:\n    flush_period: 0.2\n")
    with pytest.raises(ConfigError, match="unknown key"):
        recorder_config(args, params, [])
