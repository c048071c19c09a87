"""ROS 2 launch descriptions for launch/*.launch.py (ROS 2 Jazzy launch / launch_ros API).

Thin on purpose: the node list comes from exo_control.launch_plan, the parameter file is
validated by the same loader as the in-process launcher before any node starts, and
``record:=true`` starts ``ros2 bag record`` (MCAP) of the stack's topics.
"""

from __future__ import annotations

from typing import Any

from exo_control.launch_plan import PACKAGE, load_plan_configs, plan_nodes
from exo_interfaces.contract import ALL_TOPICS


def generate(plan: str) -> Any:
    from launch.actions import DeclareLaunchArgument, ExecuteProcess, OpaqueFunction
    from launch.conditions import IfCondition
    from launch.substitutions import LaunchConfiguration, PathJoinSubstitution
    from launch_ros.actions import Node
    from launch_ros.substitutions import FindPackageShare

    from launch import LaunchDescription  # type: ignore[attr-defined]  # mypy resolves ./launch/

    config = LaunchConfiguration("config")
    use_sim_time = plan == "sim"

    def validate(context: Any) -> list[Any]:
        # Raises ConfigError (file, node, key, value, allowed range): the launch stops here.
        load_plan_configs(plan, config.perform(context))
        return []

    actions: list[Any] = [
        DeclareLaunchArgument(
            "config",
            default_value=PathJoinSubstitution([FindPackageShare(PACKAGE), "config", f"{plan}.yaml"]),
            description="ROS 2 parameter file for every node of this launch",
        ),
        DeclareLaunchArgument("record", default_value="false", description="record the /exo topics (MCAP)"),
        DeclareLaunchArgument("bag", default_value=f"trials/{plan}", description="output folder of the bag"),
        OpaqueFunction(function=validate),
    ]
    for entry in plan_nodes(plan):
        # The sim bridge is the clock: it steps on wall time and publishes /clock for the others.
        overrides: dict[str, bool] = {"use_sim_time": use_sim_time}
        if entry.name == "sim_bridge":
            overrides = {"use_sim_time": False, "publish_clock": True}
        actions.append(
            Node(
                package=PACKAGE,
                executable=entry.executable,
                name=entry.name,
                parameters=[config, overrides],
                output="screen",
                emulate_tty=True,
            )
        )
    actions.append(
        ExecuteProcess(
            cmd=["ros2", "bag", "record", "--storage", "mcap", "--output", LaunchConfiguration("bag"),
                 *[t.name for t in ALL_TOPICS]],
            condition=IfCondition(LaunchConfiguration("record")),
            output="screen",
        )
    )
    return LaunchDescription(actions)
