"""Register-level ICM-20948 and TCA9548A emulators with the smbus2 ``SMBus`` methods the
drivers use, so ``Icm20948``/``Tca9548a`` run unchanged against them.

Signals are functions of time (the injected clock) in the *sensor* frame: angular velocity
in rad/s and specific force in m/s^2 (default: at rest, +g on sensor z). Data registers are
computed at read time from the full-scale settings the driver wrote, so wrong scaling or a
missed wake-up shows up in tests. Faults: ``nack`` (every transfer raises
``OSError(121)``), ``stuck`` (data registers frozen), ``who_am_i`` override.
"""

from __future__ import annotations

import errno
import math
import random
import struct
import time
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from exo_control.drivers import icm20948_regs as r

Signal = Callable[[float], Sequence[float] | NDArray[np.float64]]


def _nack(addr: int) -> OSError:
    return OSError(errno.EREMOTEIO, f"Remote I/O error (no ACK from 0x{addr:02X})")


def _at_rest(_t: float) -> tuple[float, float, float]:
    return (0.0, 0.0, r.STANDARD_GRAVITY_M_S2)


def _still(_t: float) -> tuple[float, float, float]:
    return (0.0, 0.0, 0.0)


class Icm20948Emulator:
    """One ICM-20948 at ``address`` (6-axis part only). Default noise is the datasheet's
    order (0.015 dps/sqrt(Hz), 230 ug/sqrt(Hz) over ~50 Hz); pass 0 for exact counts."""

    def __init__(self, *, address: int = 0x69, angular_velocity_fn: Signal = _still,
                 acceleration_fn: Signal = _at_rest, gyro_noise_std_rad_s: float = 0.0017,
                 accel_noise_std_m_s2: float = 0.016, gyro_bias_rad_s: Sequence[float] = (0.0, 0.0, 0.0),
                 seed: int = 0, clock: Callable[[], float] = time.monotonic) -> None:
        self.address = address
        self.angular_velocity_fn = angular_velocity_fn
        self.acceleration_fn = acceleration_fn
        self.gyro_noise_std_rad_s = gyro_noise_std_rad_s
        self.accel_noise_std_m_s2 = accel_noise_std_m_s2
        self.gyro_bias_rad_s = np.asarray(gyro_bias_rad_s, dtype=np.float64)
        self.clock = clock
        self.nack = False
        self.stuck = False
        self.who_am_i = r.WHO_AM_I_VALUE
        self.resets = 0
        self._rng = random.Random(seed)
        self._regs: dict[tuple[int, int], int] = {}
        self._bank = 0
        self._frozen: bytes | None = None
        self._power_on_reset()

    def _power_on_reset(self) -> None:
        self._bank = 0
        self._regs = {
            (0, r.PWR_MGMT_1): r.PWR_MGMT_1_RESET_VALUE,
            (0, r.PWR_MGMT_2): 0x00,
            (2, r.GYRO_CONFIG_1): 0x01,  # +/-250 dps, DLPF on
            (2, r.ACCEL_CONFIG): 0x01,  # +/-2 g, DLPF on
        }

    @property
    def asleep(self) -> bool:
        return bool(self._regs.get((0, r.PWR_MGMT_1), 0) & r.PWR_MGMT_1_SLEEP)

    def register(self, bank: int, reg: int) -> int:
        """Current value of a configuration register (for test assertions)."""
        return self._regs.get((bank, reg), 0)

    # --- SMBus-like API ----------------------------------------------------------------

    def read_byte_data(self, i2c_addr: int, register: int) -> int:
        self._check(i2c_addr)
        if register == r.REG_BANK_SEL:
            return self._bank << 4
        if self._bank == 0 and register == r.WHO_AM_I:
            return self.who_am_i
        if self._bank == 0 and r.ACCEL_XOUT_H <= register < r.ACCEL_XOUT_H + r.BURST_LENGTH:
            return self._data_bytes()[register - r.ACCEL_XOUT_H]
        return self._regs.get((self._bank, register), 0)

    def write_byte_data(self, i2c_addr: int, register: int, value: int) -> None:
        self._check(i2c_addr)
        if not 0 <= value <= 0xFF:
            raise ValueError(f"byte value {value} out of range")
        if register == r.REG_BANK_SEL:
            self._bank = (value >> 4) & 0x3
            return
        if self._bank == 0 and register == r.PWR_MGMT_1 and value & r.PWR_MGMT_1_DEVICE_RESET:
            self.resets += 1
            self._power_on_reset()  # the reset bit self-clears
            return
        self._regs[(self._bank, register)] = value

    def read_i2c_block_data(self, i2c_addr: int, register: int, length: int) -> list[int]:
        self._check(i2c_addr)
        if length > 32:
            raise ValueError("SMBus block reads are limited to 32 bytes")
        if self._bank == 0 and register == r.ACCEL_XOUT_H and length <= r.BURST_LENGTH:
            return list(self._data_bytes()[:length])
        return [self.read_byte_data(i2c_addr, register + k) for k in range(length)]

    def read_byte(self, i2c_addr: int) -> int:
        self._check(i2c_addr)
        return 0

    def write_byte(self, i2c_addr: int, value: int) -> None:
        self._check(i2c_addr)

    # --- internals -------------------------------------------------------------------

    def _check(self, i2c_addr: int) -> None:
        if i2c_addr != self.address or self.nack:
            raise _nack(i2c_addr)

    def _data_bytes(self) -> bytes:
        if self.stuck and self._frozen is not None:
            return self._frozen
        if self.asleep:
            data = bytes(r.BURST_LENGTH)  # asleep: no conversions
        else:
            data = self._convert(self.clock())
        self._frozen = data
        return data

    def _convert(self, t: float) -> bytes:
        gyro_fs = {v: k for k, v in r.GYRO_FS_CODE.items()}[r.fs_code_of(self._regs[(2, r.GYRO_CONFIG_1)])]
        accel_fs = {v: k for k, v in r.ACCEL_FS_CODE.items()}[r.fs_code_of(self._regs[(2, r.ACCEL_CONFIG)])]
        w = np.asarray(self.angular_velocity_fn(t), dtype=np.float64) + self.gyro_bias_rad_s
        a = np.asarray(self.acceleration_fn(t), dtype=np.float64)
        gyro_lsb = r.GYRO_LSB_PER_DPS[gyro_fs] / r.DEG_TO_RAD
        accel_lsb = r.ACCEL_LSB_PER_G[accel_fs] / r.STANDARD_GRAVITY_M_S2
        counts = [self._count((a[k] + self._rng.gauss(0.0, self.accel_noise_std_m_s2)) * accel_lsb)
                  for k in range(3)]
        counts += [self._count((w[k] + self._rng.gauss(0.0, self.gyro_noise_std_rad_s)) * gyro_lsb)
                   for k in range(3)]
        return struct.pack(">6h", *counts)

    @staticmethod
    def _count(x: float) -> int:
        return min(max(math.floor(x + 0.5), -32768), 32767)  # the ADC saturates


class Tca9548aEmulator:
    """TCA9548A at ``address`` routing transfers to devices attached per channel."""

    def __init__(self, *, address: int = 0x70) -> None:
        self.address = address
        self.mask = 0
        self.nack = False
        self.select_writes = 0
        self._channels: dict[int, list[Icm20948Emulator]] = {}

    def attach(self, channel: int, device: Icm20948Emulator) -> None:
        if not 0 <= channel < 8:
            raise ValueError(f"channel {channel} outside 0..7")
        self._channels.setdefault(channel, []).append(device)

    def devices(self, channel: int) -> list[Icm20948Emulator]:
        """The devices attached to ``channel`` (for fault injection)."""
        return list(self._channels.get(channel, []))

    def _device(self, i2c_addr: int) -> Icm20948Emulator:
        found = [d for ch, devs in self._channels.items() if self.mask & (1 << ch)
                 for d in devs if d.address == i2c_addr]
        if len(found) != 1:  # none: NACK; several: contention, garbage on a real bus
            raise _nack(i2c_addr)
        return found[0]

    def read_byte(self, i2c_addr: int) -> int:
        if i2c_addr == self.address:
            if self.nack:
                raise _nack(i2c_addr)
            return self.mask
        return self._device(i2c_addr).read_byte(i2c_addr)

    def write_byte(self, i2c_addr: int, value: int) -> None:
        if i2c_addr == self.address:
            if self.nack:
                raise _nack(i2c_addr)
            self.mask = value & 0xFF
            self.select_writes += 1
            return
        self._device(i2c_addr).write_byte(i2c_addr, value)

    def read_byte_data(self, i2c_addr: int, register: int) -> int:
        return self._device(i2c_addr).read_byte_data(i2c_addr, register)

    def write_byte_data(self, i2c_addr: int, register: int, value: int) -> None:
        self._device(i2c_addr).write_byte_data(i2c_addr, register, value)

    def read_i2c_block_data(self, i2c_addr: int, register: int, length: int) -> list[int]:
        return self._device(i2c_addr).read_i2c_block_data(i2c_addr, register, length)
