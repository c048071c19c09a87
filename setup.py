"""hip_exo: one ament_python ROS 2 package that is also a pip-installable distribution."""

from glob import glob

from setuptools import find_packages, setup

PACKAGE = "hip_exo"

# Pins that matter (see README "Dependencies"): torch exactly 2.13.0 (the CPU wheel);
# mujoco and myo-sim resolved together (myo-sim 0.2.4 needs mujoco >=3.4,<4).
INSTALL_REQUIRES = [
    "numpy>=1.26,<3",
    "scipy>=1.11,<2",
    "PyYAML>=6,<7",
    "mujoco==3.17.0",
    "myo-sim==0.2.4",
    "gymnasium==1.4.0",
    "torch==2.13.0",
    "rsl-rl-lib==5.5.1",
    "onnx==1.23.2",
    "onnxruntime==1.31.1",
    "python-can[multicast]==4.6.1",
    "smbus2==0.6.1",
    "rosbags==0.11.9",
    "mcap==1.6.0",
    "mcap-ros2-support==0.6.0",
    "transforms3d==0.4.2",
    "cma==4.5.0",
    "matplotlib>=3.8,<4",
    "tensorboard>=2.15,<3",
]
TEST_REQUIRES = [
    # launch_testing (ROS 2 Jazzy) breaks with pytest >= 8; keep the suite on 7.x.
    "pytest==7.4.4",
    "ruff==0.17.6",
    "mypy==2.4.1",
    "types-PyYAML==6.0.12.20261113",
    "colcon-core==0.21.3",
    "colcon-python-setup-py==0.2.9",
    "colcon-ros==0.5.0",
    "colcon-package-information==0.4.1",
]

setup(
    name=PACKAGE,
    version="0.1.0",
    description="Hip exoskeleton control learned in predictive neuromusculoskeletal simulation, as a ROS 2 stack",
    license="Apache-2.0",
    python_requires=">=3.10",
    packages=find_packages(include=["exo_control*", "exo_sim*", "exo_interfaces*"]),
    package_data={"exo_control.policy": ["students/*.onnx", "students/*.md", "students/*.json"],
                  "exo_sim.bridge": ["teachers/*.onnx"]},
    data_files=[
        ("share/ament_index/resource_index/packages", [f"resource/{PACKAGE}"]),
        (f"share/{PACKAGE}", ["package.xml"]),
        (f"share/{PACKAGE}/launch", glob("launch/*.launch.py")),
        (f"share/{PACKAGE}/config", glob("config/*.yaml") + glob("config/*.perspective") + glob("config/*.xml")),
    ],
    install_requires=INSTALL_REQUIRES,
    extras_require={"test": TEST_REQUIRES},
    tests_require=["pytest"],
    zip_safe=True,
    entry_points={
        "console_scripts": [
            "hip-exo = exo_control.cli:main",
            "exo_safety = exo_control.nodes.safety_node:main",
            "exo_policy = exo_control.nodes.policy_node:main",
            "exo_motor_driver = exo_control.nodes.motor_driver_node:main",
            "exo_imu_driver = exo_control.nodes.imu_driver_node:main",
            "exo_sim_bridge = exo_sim.bridge.sim_bridge_node:main",
            "hip-exo-sim = exo_sim.cli:main",
        ],
    },
)
