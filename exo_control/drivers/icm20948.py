"""ICM-20948 accelerometer + gyroscope over I2C, optionally behind a TCA9548A multiplexer.

Only the 6-axis part is used (no magnetometer, no DMP). Output is SI in the body (thigh)
frame set by ``axis_remap``: angular velocity in rad/s with the standing-still gyro bias
removed, specific force in m/s^2 (reads +g upward at rest).
"""

from __future__ import annotations

import logging
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np
from numpy.typing import NDArray

from exo_control.drivers import icm20948_regs as r
from exo_control.drivers.axis_remap import remap_matrix
from exo_control.drivers.diagnostics import ERROR, OK, STALE, DiagnosticReport
from exo_control.drivers.errors import (
    ImuBusError,
    ImuCalibrationError,
    ImuDataError,
    ImuError,
    ImuNotFoundError,
    WhoAmIMismatchError,
)
from exo_control.drivers.i2c import I2CBus, i2c_call
from exo_control.drivers.tca9548a import Tca9548a
from exo_interfaces.params import check_fields

log = logging.getLogger(__name__)

T = TypeVar("T")
Vec3 = NDArray[np.float64]
_BURST = struct.Struct(">6h")


@dataclass(frozen=True, kw_only=True)
class Icm20948Config:
    """Static configuration of one IMU."""

    name: str = field(default="imu", metadata={"doc": "Label for logs and errors, e.g. 'left_thigh'."})
    bus_number: int = field(default=7, metadata={"doc": "I2C bus number (for messages; the bus object is passed in).",
                                                 "ge": 0, "le": 255})
    mux_channel: int | None = field(default=None, metadata={"doc": "TCA9548A channel, or None without a mux.",
                                                             "ge": 0, "le": 7})
    address: Literal[0x68, 0x69] = field(default=0x69, metadata={"doc": "7-bit I2C address (AD0 high: 0x69)."})
    gyro_range_dps: Literal[250, 500, 1000, 2000] = field(default=500, metadata={"doc": "Gyro full scale (deg/s)."})
    accel_range_g: Literal[2, 4, 8, 16] = field(default=4, metadata={"doc": "Accelerometer full scale (g)."})
    gyro_sample_rate_divider: int = field(
        default=10, metadata={"doc": "GYRO_SMPLRT_DIV: ODR = 1100 / (1 + div) Hz (10: 100 Hz).", "ge": 0, "le": 255})
    accel_sample_rate_divider: int = field(
        default=10, metadata={"doc": "ACCEL_SMPLRT_DIV: ODR = 1125 / (1 + div) Hz.", "ge": 0, "le": 4095})
    dlpf_cfg: int = field(default=3, metadata={"doc": "DLPFCFG for gyro and accel (0..7; 3: ~50 Hz).",
                                               "ge": 0, "le": 7})
    axis_remap: tuple[str, str, str] = field(
        default=("+x", "+y", "+z"),
        metadata={"doc": "Body (thigh) axes as signed sensor axes, e.g. ('-y', '+x', '+z')."})
    calibration_samples: int = field(default=200, metadata={"doc": "Samples averaged for the gyro bias.",
                                                            "ge": 10, "le": 10000})
    calibration_period_s: float = field(default=0.01, metadata={"doc": "Spacing of calibration samples (s).",
                                                                "ge": 0.0, "le": 0.1})
    max_still_gyro_std_rad_s: float = field(
        default=0.02, metadata={"doc": "Calibration rejected above this gyro std (rad/s).", "gt": 0.0})
    max_still_accel_std_m_s2: float = field(
        default=0.3, metadata={"doc": "Calibration rejected above this accel std (m/s^2).", "gt": 0.0})
    max_gyro_bias_rad_s: float = field(
        default=0.1, metadata={"doc": "Calibration rejected if |bias| exceeds this (steady turning).", "gt": 0.0})
    stuck_read_limit: int = field(
        default=50, metadata={"doc": "Identical consecutive bursts that mean a stuck sensor.", "ge": 2})

    def __post_init__(self) -> None:
        object.__setattr__(self, "axis_remap", tuple(self.axis_remap))  # YAML gives lists
        check_fields(self)
        remap_matrix(self.axis_remap)


@dataclass(frozen=True)
class ImuSample:
    """One reading in the body frame. ``timestamp_s`` is ``time.monotonic()`` after the read."""

    timestamp_s: float
    angular_velocity_rad_s: Vec3
    linear_acceleration_m_s2: Vec3


class Icm20948:
    """One ICM-20948. Lifecycle: ``start()`` (probe, reset, configure) -> optional
    ``calibrate_gyro_bias()`` -> ``read()`` at the control rate -> ``stop()`` (sleep)."""

    def __init__(self, config: Icm20948Config, bus: I2CBus, *, mux: Tca9548a | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if (config.mux_channel is None) != (mux is None):
            raise ValueError(f"IMU {config.name!r}: mux_channel={config.mux_channel!r} needs a Tca9548a "
                             "passed as mux= (and a mux needs a channel)")
        self._config = config
        self._bus = bus
        self._mux = mux
        self._sleep = sleep
        self._clock = clock
        self._remap = remap_matrix(config.axis_remap)
        self._gyro_scale = r.DEG_TO_RAD / r.GYRO_LSB_PER_DPS[config.gyro_range_dps]
        self._accel_scale = r.STANDARD_GRAVITY_M_S2 / r.ACCEL_LSB_PER_G[config.accel_range_g]
        self._bank: int | None = None
        self._started = False
        self._gyro_bias: Vec3 = np.zeros(3)
        self._last_raw: bytes | None = None
        self._same_count = 0
        self.samples_read = 0
        self.errors = 0
        self.last_error: str | None = None  # cleared by the next good sample
        self._last_sample_s: float | None = None

    @property
    def config(self) -> Icm20948Config:
        return self._config

    @property
    def gyro_bias_rad_s(self) -> Vec3:
        return self._gyro_bias.copy()

    @property
    def gyro_rad_s_per_lsb(self) -> float:
        return self._gyro_scale

    @property
    def accel_m_s2_per_lsb(self) -> float:
        return self._accel_scale

    def describe(self) -> str:
        c = self._config
        mux = f"mux 0x{self._mux.address:02X} channel {c.mux_channel}, " if self._mux else ""
        return f"IMU {c.name!r} (bus {c.bus_number}, {mux}address 0x{c.address:02X})"

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Probe WHO_AM_I, reset, wake and configure ranges, filters and sample rates."""
        self._select()
        self._bank = None
        try:
            self._set_bank(0)
            who = self._read(r.WHO_AM_I)
        except ImuBusError as exc:
            raise ImuNotFoundError(f"no device answered: {exc}") from exc
        if who != r.WHO_AM_I_VALUE:
            raise WhoAmIMismatchError(f"{self.describe()}: WHO_AM_I is 0x{who:02X}, expected "
                                      f"0x{r.WHO_AM_I_VALUE:02X} (ICM-20948); wrong device or address?")
        self._write(r.PWR_MGMT_1, r.PWR_MGMT_1_DEVICE_RESET)
        self._bank = 0  # a reset returns the bank select to 0
        self._sleep(0.01)
        for _ in range(10):
            if not self._read(r.PWR_MGMT_1) & r.PWR_MGMT_1_DEVICE_RESET:
                break
            self._sleep(0.01)
        else:
            raise ImuError(f"{self.describe()}: device reset did not complete")
        self._write(r.PWR_MGMT_1, r.PWR_MGMT_1_CLKSEL_AUTO)  # wake, best clock
        self._sleep(0.03)  # gyro start-up
        self._write(r.PWR_MGMT_2, 0x00)  # all accel and gyro axes on
        self._configure()
        self._started = True
        log.info("%s started: gyro +/-%d dps, accel +/-%d g", self.describe(),
                 self._config.gyro_range_dps, self._config.accel_range_g)

    def stop(self) -> None:
        """Put the sensor to sleep (best effort: errors are logged, not raised)."""
        if not self._started:
            return
        self._started = False
        try:
            self._select()
            self._set_bank(0)
            self._write(r.PWR_MGMT_1, r.PWR_MGMT_1_SLEEP | r.PWR_MGMT_1_CLKSEL_AUTO)
        except ImuError as exc:
            log.warning("%s: could not put the sensor to sleep: %s", self.describe(), exc)

    def _configure(self) -> None:
        c = self._config
        self._set_bank(2)
        gyro_cfg = r.config_byte(r.GYRO_FS_CODE[c.gyro_range_dps], c.dlpf_cfg)
        accel_cfg = r.config_byte(r.ACCEL_FS_CODE[c.accel_range_g], c.dlpf_cfg)
        writes = [
            (r.GYRO_SMPLRT_DIV, c.gyro_sample_rate_divider),
            (r.GYRO_CONFIG_1, gyro_cfg),
            (r.ACCEL_SMPLRT_DIV_1, c.accel_sample_rate_divider >> 8),
            (r.ACCEL_SMPLRT_DIV_2, c.accel_sample_rate_divider & 0xFF),
            (r.ACCEL_CONFIG, accel_cfg),
        ]
        for reg, value in writes:
            self._write(reg, value)
        # read the full-scale registers back: a silent mis-write would scale every sample
        for reg, value in ((r.GYRO_CONFIG_1, gyro_cfg), (r.ACCEL_CONFIG, accel_cfg)):
            got = self._read(reg)
            if got != value:
                raise ImuBusError(f"{self.describe()}: bank 2 register 0x{reg:02X} reads 0x{got:02X} "
                                  f"after writing 0x{value:02X}")
        self._set_bank(0)

    # --- data ---------------------------------------------------------------------------

    def read_raw(self) -> tuple[NDArray[np.int16], NDArray[np.int16]]:
        """One 12-byte burst: (accel counts xyz, gyro counts xyz), sensor frame."""
        if not self._started:
            raise ImuError(f"{self.describe()}: read before start()")
        self._select()
        self._set_bank(0)
        data = bytes(self._io(lambda: self._bus.read_i2c_block_data(self._config.address, r.ACCEL_XOUT_H,
                                                                   r.BURST_LENGTH), r.ACCEL_XOUT_H))
        if len(data) != r.BURST_LENGTH:
            raise ImuDataError(f"{self.describe()}: burst returned {len(data)} bytes, expected {r.BURST_LENGTH}")
        self._check_stuck(data)
        values = np.array(_BURST.unpack(data), dtype=np.int16)
        return values[:3], values[3:]

    def read(self) -> ImuSample:
        """One bias-corrected sample in the body frame (SI units)."""
        accel_raw, gyro_raw = self.read_raw()
        gyro = self._remap @ (gyro_raw.astype(np.float64) * self._gyro_scale) - self._gyro_bias
        accel = self._remap @ (accel_raw.astype(np.float64) * self._accel_scale)
        now = self._clock()
        self.samples_read += 1
        self.last_error = None
        self._last_sample_s = now
        return ImuSample(now, gyro, accel)

    def diagnostics(self, *, stale_after_s: float = 0.1) -> DiagnosticReport:
        """Health for /diagnostics: ERROR after a failed read (until a good one), STALE
        without a sample in ``stale_after_s``, else OK."""
        c = self._config
        values = {
            "bus": str(c.bus_number), "mux_channel": str(c.mux_channel), "address": f"0x{c.address:02X}",
            "samples_read": str(self.samples_read), "errors": str(self.errors),
            "gyro_bias_rad_s": str(np.round(self._gyro_bias, 5).tolist()),
        }
        age = np.inf if self._last_sample_s is None else self._clock() - self._last_sample_s
        if self.last_error is not None:
            level, message = ERROR, self.last_error
        elif not self._started:
            level, message = STALE, "not started"
        elif age > stale_after_s:
            level, message = STALE, f"no sample for {age:.2f} s"
        else:
            level, message = OK, "ok"
        return DiagnosticReport(c.name, level, message, values)

    def calibrate_gyro_bias(self, n_samples: int | None = None) -> Vec3:
        """Average the gyro while the wearer stands still; store and return the bias
        (body frame, rad/s). Raises ``ImuCalibrationError`` if the sensor moved."""
        c = self._config
        n = c.calibration_samples if n_samples is None else n_samples
        if n < 2:
            raise ValueError(f"calibrate_gyro_bias needs n_samples >= 2, got {n}")
        self._gyro_bias = np.zeros(3)
        gyro = np.empty((n, 3))
        accel = np.empty((n, 3))
        for i in range(n):
            s = self.read()
            gyro[i], accel[i] = s.angular_velocity_rad_s, s.linear_acceleration_m_s2
            if i + 1 < n:
                self._sleep(c.calibration_period_s)
        gyro_std, accel_std = gyro.std(axis=0), accel.std(axis=0)
        bias: Vec3 = np.asarray(gyro.mean(axis=0), dtype=np.float64)
        problems = []
        if gyro_std.max() > c.max_still_gyro_std_rad_s:
            problems.append(f"gyro std {np.round(gyro_std, 4).tolist()} rad/s > {c.max_still_gyro_std_rad_s}")
        if accel_std.max() > c.max_still_accel_std_m_s2:
            problems.append(f"accel std {np.round(accel_std, 3).tolist()} m/s^2 > {c.max_still_accel_std_m_s2}")
        if np.abs(bias).max() > c.max_gyro_bias_rad_s:
            problems.append(f"mean rate {np.round(bias, 4).tolist()} rad/s > {c.max_gyro_bias_rad_s} "
                            "(turning steadily?)")
        if problems:
            raise ImuCalibrationError(f"{self.describe()}: gyro bias calibration rejected over {n} samples, "
                                      f"the sensor was not still: {'; '.join(problems)}")
        self._gyro_bias = bias
        log.info("%s gyro bias %s rad/s", self.describe(), np.round(bias, 5).tolist())
        return bias.copy()

    # --- internals ----------------------------------------------------------------------

    def _check_stuck(self, data: bytes) -> None:
        if data == self._last_raw:
            self._same_count += 1
            if self._same_count >= self._config.stuck_read_limit:
                self.errors += 1
                self.last_error = "data registers stuck"
                raise ImuDataError(f"{self.describe()}: {self._same_count + 1} identical bursts in a row; "
                                   "data registers are stuck (sensor asleep or hung?)")
        else:
            self._same_count = 0
        self._last_raw = data

    def _select(self) -> None:
        if self._mux is not None and self._config.mux_channel is not None:
            try:
                self._mux.select(self._config.mux_channel)
            except ImuBusError as exc:
                self.errors += 1
                self.last_error = str(exc)
                raise

    def _set_bank(self, bank: int) -> None:
        if self._bank != bank:
            self._write(r.REG_BANK_SEL, bank << 4)
            self._bank = bank

    def _where(self, register: int) -> str:
        return f"{self.describe()}, bank {self._bank}, register 0x{register:02X}"

    def _io(self, fn: Callable[[], T], register: int) -> T:
        try:
            return i2c_call(fn, self._where(register))
        except ImuBusError as exc:
            self.errors += 1
            self.last_error = str(exc)
            # after a failed transfer neither the mux channel nor the bank is known
            if self._mux is not None:
                self._mux.invalidate()
            self._bank = None
            raise

    def _read(self, register: int) -> int:
        return self._io(lambda: self._bus.read_byte_data(self._config.address, register), register)

    def _write(self, register: int, value: int) -> None:
        self._io(lambda: self._bus.write_byte_data(self._config.address, register, value), register)
