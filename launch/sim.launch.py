"""ros2 launch hip_exo sim.launch.py [config:=FILE] [record:=true] [bag:=DIR]

MuJoCo sim bridge (the simulated person), student policy and safety node, on sim time.
"""

from exo_control.ros_launch import generate


def generate_launch_description():  # noqa: ANN201 (ROS 2 launch entry point)
    return generate("sim")
