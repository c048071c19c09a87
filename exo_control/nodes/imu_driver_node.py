"""IMU driver node: ICM-20948 on each thigh and the back, behind a TCA9548A, -> sensor_msgs/Imu.

At start each IMU is probed (WHO_AM_I), configured and, with ``calibrate_on_start``, its gyro
bias is averaged while the wearer stands still (a moving wearer is refused with a clear
error). Each tick reads all three and publishes them in the segment frame (axis remap from
config), rad/s and m/s^2. A failed read publishes nothing for that IMU and reports ERROR on
/diagnostics, which the safety node latches; its watchdog also catches a silent sensor.
``backend: emulator`` runs the same driver against register-level emulators with a synthetic
walking signal (dry runs without a device).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Literal

from exo_control.drivers.errors import ImuError
from exo_control.drivers.icm20948 import Icm20948, Icm20948Config
from exo_control.drivers.tca9548a import Tca9548a
from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import check_fields, param

_G = 9.80665


@dataclass(frozen=True, kw_only=True)
class ImuDriverConfig:
    """Parameters of the IMU driver (section ``imu_driver``)."""

    backend: Literal["smbus2", "emulator"] = param("smbus2", "I2C access: the real bus, or register-level emulators.")
    bus_number: int = param(7, "I2C bus number (Jetson Orin header: 7).", ge=0, le=255)
    mux_address: int = param(0x70, "TCA9548A address.", ge=0x70, le=0x77)
    rate_hz: float = param(200.0, "Read and publish rate (Hz).", ge=50.0, le=1000.0)
    calibrate_on_start: bool = param(True, "Average the gyro bias at start (wearer standing still).")
    diagnostics_rate_hz: float = param(2.0, "Rate of /diagnostics reports (Hz).", gt=0.0, le=50.0)
    emulated_stride_hz: float = param(0.9, "Emulator backend: stride frequency of the synthetic gait (Hz).", gt=0.0, le=3.0)
    emulated_amplitude_rps: float = param(2.5, "Emulator backend: peak thigh flexion rate (rad/s).", ge=0.0, le=8.0)
    emulated_standing_s: float = param(8.0, "Emulator backend: standing still before walking (s): covers the calibrations.", ge=0.0, le=60.0)
    left_thigh: Icm20948Config = param(
        Icm20948Config(name="left_thigh", mux_channel=0, gyro_sample_rate_divider=4, accel_sample_rate_divider=4),
        "Left thigh cuff IMU (ODR 1100/(1+4) = 220 Hz).")
    right_thigh: Icm20948Config = param(
        Icm20948Config(name="right_thigh", mux_channel=1, gyro_sample_rate_divider=4, accel_sample_rate_divider=4),
        "Right thigh cuff IMU.")
    pelvis: Icm20948Config = param(
        Icm20948Config(name="pelvis", mux_channel=2, gyro_sample_rate_divider=4, accel_sample_rate_divider=4),
        "Back (pelvis belt) IMU.")

    def __post_init__(self) -> None:
        check_fields(self)
        channels = [imu.mux_channel for imu in (self.left_thigh, self.right_thigh, self.pelvis)]
        if len(set(channels)) != 3:
            raise ValueError(f"ImuDriverConfig: the three IMUs need distinct mux channels, got {channels}")


def _emulated_bus(cfg: ImuDriverConfig) -> Any:
    """A TCA9548A emulator with three ICM-20948 emulators: thighs swing in anti-phase."""
    from exo_control.emulators.icm20948_emulator import Icm20948Emulator, Tca9548aEmulator

    mux = Tca9548aEmulator(address=cfg.mux_address)
    w, amp = 2 * math.pi * cfg.emulated_stride_hz, cfg.emulated_amplitude_rps
    start = time.monotonic() + cfg.emulated_standing_s

    def thigh(phase: float) -> Any:
        # Flexion-positive rate is -gyro_y in the segment frame (contract): put it on sensor y.
        return lambda t: (0.0, 0.0 if t < start else -amp * math.sin(w * (t - start) + phase), 0.0)

    for imu, fn in ((cfg.left_thigh, thigh(0.0)), (cfg.right_thigh, thigh(math.pi)), (cfg.pelvis, lambda t: (0.0, 0.0, 0.0))):
        mux.attach(imu.mux_channel or 0, Icm20948Emulator(address=imu.address, angular_velocity_fn=fn, seed=imu.mux_channel or 0))
    return mux


class ImuDriverNode(ExoNode):
    NAME = "imu_driver"
    CONFIG = ImuDriverConfig
    SHUTDOWN_ORDER = 20

    def __init__(self, handle: NodeHandle, config: ImuDriverConfig):
        super().__init__(handle, config)
        if config.backend == "emulator":
            self.smbus = _emulated_bus(config)
        else:
            from smbus2 import SMBus

            self.smbus = SMBus(config.bus_number)
        mux = Tca9548a(self.smbus, address=config.mux_address, bus_number=config.bus_number)
        self.imus = {
            c.IMU_LEFT_THIGH.name: (Icm20948(config.left_thigh, self.smbus, mux=mux), c.FRAME_LEFT_THIGH),
            c.IMU_RIGHT_THIGH.name: (Icm20948(config.right_thigh, self.smbus, mux=mux), c.FRAME_RIGHT_THIGH),
            c.IMU_PELVIS.name: (Icm20948(config.pelvis, self.smbus, mux=mux), c.FRAME_PELVIS),
        }
        for imu, _frame in self.imus.values():
            imu.start()
        if config.calibrate_on_start:
            for imu, _frame in self.imus.values():
                bias = imu.calibrate_gyro_bias()
                self.log.info(f"{imu.config.name}: gyro bias {[round(float(b), 4) for b in bias]} rad/s")
        self._pubs = {name: handle.create_publisher(topic) for name, topic in
                      ((t.name, t) for t in (c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH, c.IMU_PELVIS))}
        self._diag = handle.create_publisher(c.DIAGNOSTICS)
        self._failing: set[str] = set()
        handle.create_timer(1.0 / config.rate_hz, self._tick)
        handle.create_timer(1.0 / config.diagnostics_rate_hz, self._publish_diagnostics)

    def _tick(self) -> None:
        now = self.handle.now_ns()
        for topic, (imu, frame) in self.imus.items():
            try:
                sample = imu.read()
            except ImuError as exc:
                if topic not in self._failing:
                    self._failing.add(topic)
                    self.log.error(f"{imu.config.name}: {exc}")
                    self._publish_diagnostics()
                continue
            self._failing.discard(topic)
            self._pubs[topic].publish(m.imu_msg(now, frame, sample.angular_velocity_rad_s, sample.linear_acceleration_m_s2))

    def _publish_diagnostics(self) -> None:
        stale_s = 5.0 / self.config.rate_hz
        statuses = []
        for imu, _frame in self.imus.values():
            r = imu.diagnostics(stale_after_s=stale_s)
            statuses.append(m.diagnostic_status(f"{self.handle.name}: {r.name}", r.level, r.message, dict(r.values)))
        self._diag.publish(m.diagnostic_array(self.handle.now_ns(), statuses))

    def shutdown(self) -> None:
        for imu, _frame in self.imus.values():
            imu.stop()
        close = getattr(self.smbus, "close", None)
        if close is not None:
            close()


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(ImuDriverNode)()
