"""A hardware launch without a device: the real drivers against emulators.

Motors: an AKEmulator thread answers on an in-process python-can ``virtual`` channel, speaking
each motor's configured model and firmware; the motor driver node talks to it unchanged.
IMUs: the IMU driver's ``emulator`` backend (register-level ICM-20948 + TCA9548A emulators).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import can

from exo_control.emulators.ak_emulator import AKEmulator
from exo_control.nodes.imu_driver_node import ImuDriverConfig
from exo_control.nodes.motor_driver_node import MotorDriverConfig

EMULATED_CHANNEL = "hip_exo_dry_run"


@dataclass
class EmulatedHardware:
    configs: dict[str, Any]  #: node configs rewritten for the emulated devices
    motor_emulators: list[AKEmulator]


@contextmanager
def emulated_hardware(configs: dict[str, Any], *, channel: str = EMULATED_CHANNEL) -> Iterator[EmulatedHardware]:
    """Node configs rewritten for emulated devices, with the motor emulator running meanwhile."""
    out = dict(configs)
    motor_cfg: MotorDriverConfig = configs["motor_driver"]
    motor_cfg = dataclasses.replace(motor_cfg, interface="virtual", channel=channel)
    out["motor_driver"] = motor_cfg
    imu_cfg: ImuDriverConfig = configs["imu_driver"]
    out["imu_driver"] = dataclasses.replace(imu_cfg, backend="emulator")
    left, right = motor_cfg.left, motor_cfg.right
    buses = []
    emulators = []
    # One emulator per (model, firmware): each speaks one protocol variant.
    groups: dict[tuple[str, str], list[int]] = {}
    for motor in (left, right):
        groups.setdefault((motor.model, motor.firmware), []).append(motor.can_id)
    try:
        for (model, firmware), ids in groups.items():
            bus = can.Bus(interface="virtual", channel=channel)
            buses.append(bus)
            emulator = AKEmulator(bus, ids, model, firmware)
            emulator.start()
            emulators.append(emulator)
        yield EmulatedHardware(out, emulators)
    finally:
        for emulator in emulators:
            emulator.stop()
        for bus in buses:
            bus.shutdown()
