"""Live view: 127.0.0.1 only, no network assets, >= 100 Hz data plotted in headless Chromium without freezing."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from exo_control.liveview import LiveSampler, LiveViewConfig, LiveViewNode, SampleBuffer
from exo_control.liveview.browser import HeadlessChromium, find_chromium
from exo_control.liveview.server import LiveViewServer
from exo_control.recording.synthetic_trial import build_synthetic_trial
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces import messages as m


def test_buffer_hands_each_reader_only_new_rows() -> None:
    buf = SampleBuffer(maxlen=5)
    sampler = LiveSampler(buf, start_ns=0)
    for i in range(3):
        sampler.on_command(m.joint_state_msg(i * 5_000_000, effort_nm=[float(i), -float(i)]), i * 5_000_000)
    seq, rows = buf.since(0)
    assert seq == 3 and [r[:3] for r in rows] == [[0.0, 0.0, -0.0], [0.005, 1.0, -1.0], [0.01, 2.0, -2.0]]
    for i in range(10):
        buf.append([float(i)])
    seq2, rows2 = buf.since(seq)
    assert seq2 == 13 and len(rows2) == 5  # a lagging reader gets the ring, not more


def test_rows_carry_the_sim_teacher_torque_when_there_is_one() -> None:
    """Hardware has no teacher: its columns stay NaN (null on the page); in sim the bridge's
    /sim/teacher_torque is held into each row beside the command."""
    from exo_control.liveview.sampler import COLUMNS
    from exo_interfaces import contract as c

    rt = InProcessRuntime("sim")
    node = rt.add_node(LiveViewNode, LiveViewConfig(port=0))
    try:
        h = rt.handle("sim")
        command, teacher = h.create_publisher(c.TORQUE_COMMAND), h.create_publisher(c.SIM_TEACHER_TORQUE)
        command.publish(m.joint_state_msg(0, effort_nm=[1.0, -1.0]))
        teacher.publish(m.joint_state_msg(0, effort_nm=[2.5, -0.5]))
        command.publish(m.joint_state_msg(5_000_000, effort_nm=[1.5, -1.5]))
        rt.spin(0.0)
        _, rows = node.buffer.since(0)  # type: ignore[attr-defined]
    finally:
        rt.shutdown()
    i = COLUMNS.index("teacher_l")
    assert len(rows) == 2 and all(len(r) == len(COLUMNS) for r in rows)
    assert rows[0][i] != rows[0][i] and rows[0][i + 1] != rows[0][i + 1]  # NaN: no teacher yet
    assert rows[1][i:i + 2] == [2.5, -0.5] and rows[1][1:3] == [1.5, -1.5]


def test_server_is_loopback_only_and_streams_json(tmp_path: Path) -> None:
    buf = SampleBuffer()
    server = LiveViewServer(buf, LiveViewConfig(port=0, push_hz=50.0))
    url = server.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(url, timeout=5).read()
        assert b"EventSource" in page and b"https://" not in page and b"src=" not in page  # nothing from the network
        buf.append([0.0, 1.0, -1.0, float("nan"), 0.5, 2.0, -2.0])
        with urllib.request.urlopen(url + "stream", timeout=5) as stream:
            line = stream.readline()
        assert json.loads(line[len(b"data: "):]) == [[0.0, 1.0, -1.0, None, 0.5, 2.0, -2.0]]
    finally:
        server.stop()


@pytest.mark.skipif(find_chromium() is None, reason="needs chromium (apt-get install chromium)")
def test_headless_chromium_plots_200hz_without_freezing(tmp_path: Path) -> None:
    rt = InProcessRuntime("wall")
    build_synthetic_trial(rt)
    live = rt.add_node(LiveViewNode, LiveViewConfig(port=0))
    spinner = threading.Thread(target=rt.spin, args=(6.0,), daemon=True)
    try:
        with HeadlessChromium() as browser:  # started first: its start-up burst would stall a 2-core machine
            spinner.start()
            browser.navigate(live.url)  # type: ignore[attr-defined]
            browser.wait_for("window.liveStats && window.liveStats.samples > 200")
            before = browser.evaluate("JSON.stringify(window.liveStats)")
            time.sleep(1.0)
            after = json.loads(browser.evaluate("JSON.stringify(window.liveStats)"))
            png = browser.screenshot(tmp_path / "live.png")
        b = json.loads(before)
        print(f"live view: {after['rateHz']} samples/s plotted, {after['frames'] - b['frames']} redraws/s")
        assert after["rateHz"] >= 100  # 200 Hz commands (wall-clock executor may skip a period under load)
        assert after["samples"] - b["samples"] >= 100 and after["frames"] - b["frames"] >= 10  # still drawing
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    finally:
        rt.request_stop()
        if spinner.is_alive():
            spinner.join(timeout=10)
        rt.shutdown()
