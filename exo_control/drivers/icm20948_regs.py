"""ICM-20948 register map subset (datasheet DS-000189) shared by driver and emulator.

Registers are (bank, address); REG_BANK_SEL at 0x7F exists in every bank and takes the bank
number in bits [5:4].
"""

from __future__ import annotations

import math

WHO_AM_I_VALUE = 0xEA
ICM20948_ADDRESSES = (0x68, 0x69)  # AD0 low / high; the lab's boards use 0x69

REG_BANK_SEL = 0x7F

# bank 0
WHO_AM_I = 0x00
USER_CTRL = 0x03
PWR_MGMT_1 = 0x06
PWR_MGMT_2 = 0x07
ACCEL_XOUT_H = 0x2D  # 6 accel bytes, then GYRO_XOUT_H at 0x33: one 12-byte burst
GYRO_XOUT_H = 0x33
TEMP_OUT_H = 0x39
BURST_LENGTH = 12

# bank 2
GYRO_SMPLRT_DIV = 0x00
GYRO_CONFIG_1 = 0x01
ACCEL_SMPLRT_DIV_1 = 0x10
ACCEL_SMPLRT_DIV_2 = 0x11
ACCEL_CONFIG = 0x14

PWR_MGMT_1_DEVICE_RESET = 0x80
PWR_MGMT_1_SLEEP = 0x40
PWR_MGMT_1_CLKSEL_AUTO = 0x01
PWR_MGMT_1_RESET_VALUE = 0x41  # asleep, auto clock

# full-scale selection code -> sensitivity
GYRO_FS_CODE: dict[int, int] = {250: 0, 500: 1, 1000: 2, 2000: 3}
GYRO_LSB_PER_DPS: dict[int, float] = {250: 131.0, 500: 65.5, 1000: 32.8, 2000: 16.4}
ACCEL_FS_CODE: dict[int, int] = {2: 0, 4: 1, 8: 2, 16: 3}
ACCEL_LSB_PER_G: dict[int, float] = {2: 16384.0, 4: 8192.0, 8: 4096.0, 16: 2048.0}

STANDARD_GRAVITY_M_S2 = 9.80665
DEG_TO_RAD = math.pi / 180.0

GYRO_BASE_RATE_HZ = 1100.0  # ODR = base / (1 + GYRO_SMPLRT_DIV)
ACCEL_BASE_RATE_HZ = 1125.0  # ODR = base / (1 + ACCEL_SMPLRT_DIV[11:0])


def config_byte(fs_code: int, dlpf_cfg: int, *, dlpf_enabled: bool = True) -> int:
    """GYRO_CONFIG_1 / ACCEL_CONFIG layout: [5:3] DLPFCFG, [2:1] FS_SEL, [0] FCHOICE."""
    return ((dlpf_cfg & 0x7) << 3) | ((fs_code & 0x3) << 1) | (1 if dlpf_enabled else 0)


def fs_code_of(config_value: int) -> int:
    return (config_value >> 1) & 0x3
