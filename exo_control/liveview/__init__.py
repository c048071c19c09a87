"""Live torque plots without ROS 2: a local page (127.0.0.1, Server-Sent Events, canvas charts).

With ROS 2 use rqt (config/hip_exo.perspective) or PlotJuggler (config/plotjuggler_hip_exo.xml).
"""

from exo_control.liveview.config import LiveViewConfig
from exo_control.liveview.node import LiveViewNode
from exo_control.liveview.sampler import COLUMNS, LiveSampler, SampleBuffer
from exo_control.liveview.server import LiveViewError, LiveViewServer

__all__ = ["COLUMNS", "LiveSampler", "LiveViewConfig", "LiveViewError", "LiveViewNode", "LiveViewServer", "SampleBuffer"]
