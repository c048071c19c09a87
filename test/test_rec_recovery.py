"""Nothing lost: a recorder killed mid-trial leaves a recoverable bag; write errors are reported at once."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from mcap.reader import make_reader
from rosbags.highlevel import AnyReader

from exo_control.recording import BagWriteError, list_trials, recover_bag
from exo_interfaces import contract as c
from exo_interfaces import messages as m

REPO = Path(__file__).resolve().parents[1]

RECORD_FOREVER = """
import sys
from exo_control.recording import RecorderConfig
from exo_control.recording.synthetic_trial import build_synthetic_trial
from exo_control.runtime.inprocess import InProcessRuntime
rt = InProcessRuntime('wall')
build_synthetic_trial(rt, RecorderConfig(bag=sys.argv[1], subject='s02', condition='assisted', trial=7,
                      chunk_size_bytes=16384, flush_period_s=0.05, fsync=True, min_free_mb=0))
print('recording', flush=True)
rt.spin(None)
"""


def test_sigkill_mid_trial_then_recover(tmp_path: Path) -> None:
    bag = tmp_path / "s02_t07"
    proc = subprocess.Popen([sys.executable, "-c", RECORD_FOREVER, str(bag)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "recording"
        time.sleep(1.5)
        kill_ns = time.time_ns()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    [trial] = list_trials(tmp_path)
    assert trial.needs_recovery and trial.meta.trial == 7  # provisional metadata survived the kill

    result = recover_bag(bag)
    print(f"recovered {result.messages} messages ({result.per_topic}); damaged tail {result.damaged_tail_bytes} B; "
          f"last message {(kill_ns - result.end_ns) / 1e6:.0f} ms before the kill")
    assert not result.was_complete and result.messages > 1000
    assert (kill_ns - result.end_ns) / 1e9 < 0.5  # lost at most ~ one flush period + one chunk

    with AnyReader([bag]) as reader:
        assert reader.message_count == result.messages
        stamps = [m.stamp_ns(reader.deserialize(raw, conn.msgtype).header.stamp)
                  for conn, _, raw in reader.messages() if conn.topic == c.JOINT_STATES.name]
        custom = reader.readers[0].storage.metadata.custom  # type: ignore[union-attr]
    # Every message up to the last flush is there: joint states at 200 Hz with no hole the size of a chunk
    # (16 KiB = ~12 control periods = 60 ms); the wall-clock executor may skip a period when it overruns.
    steps_ms = np.diff(stamps) / 1e6
    assert len(stamps) == result.per_topic[c.JOINT_STATES.name] and np.all(steps_ms > 0) and steps_ms.max() < 40.0
    assert len(stamps) >= 0.95 * (stamps[-1] - stamps[0]) / 5e6
    assert custom["subject"] == "s02" and custom["hip_exo.state"] == "recovered"
    with (bag / f"{bag.name}.mcap").open("rb") as f:
        assert sum(1 for _ in make_reader(f).iter_messages()) == result.messages
    assert list_trials(tmp_path)[0].state == "recovered"
    assert recover_bag(bag).messages == result.messages  # idempotent


WRITE_LIMITED = """
import json, resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # writes past the limit fail with EFBIG, like a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
from exo_control.recording import RecorderConfig
from exo_control.recording.synthetic_trial import build_synthetic_trial
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces import contract as c
rt = InProcessRuntime('sim')
h = rt.handle('observer')
commands, warns = [], []
h.create_subscription(c.TORQUE_COMMAND, lambda msg: commands.append(h.now_ns()))
h.create_subscription(c.DIAGNOSTICS, lambda msg: warns.extend(s.message for s in msg.status
                      if s.name.startswith('recorder') and s.level == 1))
nodes = build_synthetic_trial(rt, RecorderConfig(bag=sys.argv[1], chunk_size_bytes=16384, flush_period_s=0.05,
                              fsync=False, min_free_mb=0))
rec = nodes['recorder']
rt.spin(5.0)
import time
deadline = time.monotonic() + 10.0   # the writer thread fails asynchronously: let it catch up
while rec.writer.error is None and time.monotonic() < deadline:
    time.sleep(0.01)
rt.spin(1.0)
rt.shutdown()
print(json.dumps({'error': str(rec.error), 'dropped': rec.writer.stats.dropped, 'commands': len(commands),
                  'warns': warns[:1], 'faults': sorted(nodes['safety'].governor.faults)}))
"""


def test_write_failure_is_reported_at_once_and_control_goes_on(tmp_path: Path) -> None:
    bag = tmp_path / "full"
    out = subprocess.run([sys.executable, "-c", WRITE_LIMITED, str(bag)], cwd=REPO, capture_output=True,
                         text=True, timeout=60, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert "writing bag" in report["error"] and str(bag) in report["error"] and "File too large" in report["error"]
    assert "File too large" in out.stderr  # logged by the writer thread when it happened
    assert report["dropped"] > 0 and report["warns"] and "File too large" in report["warns"][0]
    assert report["commands"] >= 1000 and report["faults"] == []  # the control loop neither stalled nor faulted
    assert recover_bag(bag).messages > 0


def test_first_write_error_survives_a_failing_abort(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk also fails the buffered tail written on abort: the recorder still reports the first error."""
    from exo_control.recording.bag_writer import BagWriter

    writer = BagWriter(tmp_path / "bag", c.ALL_TOPICS, m.TYPESTORE, chunk_size_bytes=64, flush_period_s=0.01,
                       fsync=False)
    writer.open()
    assert writer._writer is not None and writer._writer.storage is not None
    storage = writer._writer.storage

    def full_disk(*_: object) -> None:
        raise OSError(errno.EFBIG, "File too large")

    monkeypatch.setattr(storage, "close_chunk", full_disk)  # the next flush fails, like a write past the limit
    monkeypatch.setattr(storage, "abort", full_disk)  # and so does closing the file with its buffered tail
    msg = m.diagnostic_array(1, [])
    deadline = time.monotonic() + 10.0
    while writer.error is None and time.monotonic() < deadline:
        writer.put(c.DIAGNOSTICS.name, 1, msg)
        time.sleep(0.005)
    with pytest.raises(BagWriteError, match=r"writing bag .*bag failed after \d+ messages: File too large"):
        writer.close()
