"""Hardware drivers: AK-series motors over CAN (MIT mode) and ICM-20948 IMUs over I2C.

Pure hardware layer: no ROS, no node runtime. Node wrappers construct these classes with a
bus object passed in (python-can ``BusABC``, smbus2 ``SMBus``-like) and call their methods.
"""

from exo_control.drivers.ak_bus import AKMotorBus
from exo_control.drivers.ak_motor import AKMotor, AKMotorConfig, MotorState
from exo_control.drivers.diagnostics import DiagnosticReport
from exo_control.drivers.icm20948 import Icm20948, Icm20948Config, ImuSample
from exo_control.drivers.tca9548a import Tca9548a

__all__ = [
    "AKMotor",
    "AKMotorBus",
    "AKMotorConfig",
    "DiagnosticReport",
    "Icm20948",
    "Icm20948Config",
    "ImuSample",
    "MotorState",
    "Tca9548a",
]
