"""ros2 launch hip_exo hardware.launch.py [config:=FILE] [record:=true] [bag:=DIR]

IMU driver (ICM-20948 thighs/back), AK-series CAN motor driver, student policy and safety node.
"""

from exo_control.ros_launch import generate


def generate_launch_description():  # noqa: ANN201 (ROS 2 launch entry point)
    return generate("hardware")
