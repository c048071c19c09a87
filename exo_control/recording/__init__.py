"""Trial recording without ROS 2: rosbag2 (MCAP) bags with trial metadata, crash recovery, trial listing.

With ROS 2 the launch files run ``ros2 bag record --storage mcap``; without it the
:class:`~exo_control.nodes.recorder_node.RecorderNode` writes the same bag (same topics, CDR,
QoS in metadata) through :class:`BagWriter`.
"""

from exo_control.recording.bag_writer import BagWriter, WriterStats
from exo_control.recording.config import RecorderConfig
from exo_control.recording.errors import BagPathError, BagRecoveryError, BagWriteError, RecorderError
from exo_control.recording.recovery import RecoveryResult, recover_bag
from exo_control.recording.trial import TrialMetadata, bag_path_for
from exo_control.recording.trials import TrialInfo, format_trials, list_trials

__all__ = [
    "BagPathError", "BagRecoveryError", "BagWriteError", "BagWriter", "RecorderConfig", "RecorderError",
    "RecoveryResult", "TrialInfo", "TrialMetadata", "WriterStats", "bag_path_for", "format_trials",
    "list_trials", "recover_bag",
]
