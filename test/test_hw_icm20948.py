"""ICM-20948 driver and TCA9548A mux against the register-level emulators (virtual time)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from exo_control.drivers import icm20948_regs as r
from exo_control.drivers.axis_remap import remap_matrix
from exo_control.drivers.errors import (
    ImuBusError,
    ImuCalibrationError,
    ImuDataError,
    ImuError,
    ImuNotFoundError,
    WhoAmIMismatchError,
)
from exo_control.drivers.icm20948 import Icm20948, Icm20948Config
from exo_control.drivers.tca9548a import Tca9548a
from exo_control.emulators.icm20948_emulator import Icm20948Emulator, Tca9548aEmulator

G = 9.80665
DPS = math.pi / 180.0


class FakeClock:
    """Virtual time shared by driver sleeps and emulator signals: tests never really wait."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, dt: float) -> None:
        self.now += dt


def _const(v: Sequence[float]) -> Callable[[float], Sequence[float]]:
    return lambda _t: v


_STILL = _const((0.0, 0.0, 0.0))


def _rig(channel: int = 2, *, angular_velocity: Callable[[float], Sequence[float]] = _STILL,
         gyro_noise: float = 0.0, accel_noise: float = 0.0, bias: Sequence[float] = (0.0, 0.0, 0.0),
         **cfg: object) -> tuple[Icm20948, Icm20948Emulator, Tca9548aEmulator, FakeClock]:
    clock = FakeClock()
    emu = Icm20948Emulator(address=0x69, angular_velocity_fn=angular_velocity, gyro_noise_std_rad_s=gyro_noise,
                           accel_noise_std_m_s2=accel_noise, gyro_bias_rad_s=bias, seed=3, clock=clock)
    mux_emu = Tca9548aEmulator()
    mux_emu.attach(channel, emu)
    mux = Tca9548a(mux_emu, bus_number=7)
    config = Icm20948Config(**{"name": "left_thigh", "mux_channel": channel, **cfg})  # type: ignore[arg-type]
    imu = Icm20948(config, mux_emu, mux=mux, sleep=clock.sleep, clock=clock)
    return imu, emu, mux_emu, clock


def test_start_checks_who_am_i_and_configures() -> None:
    imu, emu, mux_emu, _ = _rig()
    imu.start()
    assert emu.resets == 1
    assert not emu.asleep
    # +/-500 dps: FS_SEL 1; +/-4 g: FS_SEL 1; DLPFCFG 3, FCHOICE 1 -> 0b011_01_1 = 0x1B
    assert emu.register(2, r.GYRO_CONFIG_1) == 0x1B
    assert emu.register(2, r.ACCEL_CONFIG) == 0x1B
    assert emu.register(2, r.GYRO_SMPLRT_DIV) == 10
    assert (emu.register(2, r.ACCEL_SMPLRT_DIV_1), emu.register(2, r.ACCEL_SMPLRT_DIV_2)) == (0, 10)
    assert mux_emu.mask == 1 << 2
    imu.stop()
    assert emu.asleep


def test_wrong_who_am_i() -> None:
    imu, emu, _, _ = _rig()
    emu.who_am_i = 0x71  # an MPU-9250 answered
    with pytest.raises(WhoAmIMismatchError, match=r"WHO_AM_I is 0x71, expected 0xEA"):
        imu.start()


def test_device_not_found_names_bus_channel_address() -> None:
    emu = Icm20948Emulator()
    mux_emu = Tca9548aEmulator()
    mux_emu.attach(2, emu)
    imu = Icm20948(Icm20948Config(name="right_thigh", mux_channel=5), mux_emu, mux=Tca9548a(mux_emu, bus_number=7))
    with pytest.raises(ImuNotFoundError, match=r"bus 7, mux 0x70 channel 5, address 0x69") as info:
        imu.start()
    assert isinstance(info.value.__cause__, ImuBusError)
    assert isinstance(info.value.__cause__.__cause__, OSError)


def test_scale_factors_hand_computed() -> None:
    # 10 dps -> 655 counts at 65.5 LSB/dps; 1 g on z -> 8192 counts at 8192 LSB/g
    imu, _, _, _ = _rig(angular_velocity=_const((10 * DPS, -20 * DPS, 0.0)))
    imu.start()
    accel, gyro = imu.read_raw()
    assert gyro.tolist() == [655, -1310, 0]
    assert accel.tolist() == [0, 0, 8192]
    sample = imu.read()
    assert sample.angular_velocity_rad_s == pytest.approx([10 * DPS, -20 * DPS, 0.0], abs=1e-12)
    assert sample.linear_acceleration_m_s2 == pytest.approx([0.0, 0.0, G], abs=1e-12)
    assert imu.gyro_rad_s_per_lsb == pytest.approx(DPS / 65.5)
    assert imu.accel_m_s2_per_lsb == pytest.approx(G / 8192)


def test_other_full_scale_and_saturation() -> None:
    imu, emu, _, _ = _rig(angular_velocity=_const((600 * DPS, 100 * DPS, 0.0)), gyro_range_dps=2000,
                          accel_range_g=16)
    imu.start()
    accel, gyro = imu.read_raw()
    assert gyro.tolist() == [round(600 * 16.4), 1640, 0]  # 16.4 LSB/dps
    assert accel.tolist() == [0, 0, 2048]
    imu500, _, _, _ = _rig(angular_velocity=_const((600 * DPS, 0.0, 0.0)))
    imu500.start()
    assert imu500.read_raw()[1][0] == 32767  # beyond +/-500 dps the ADC saturates


def test_gyro_bias_calibration() -> None:
    bias = (0.01, -0.02, 0.005)
    imu, _, _, clock = _rig(gyro_noise=0.002, accel_noise=0.02, bias=bias)
    imu.start()
    t0 = clock.now
    estimate = imu.calibrate_gyro_bias()
    assert clock.now - t0 == pytest.approx(199 * 0.01)
    assert estimate == pytest.approx(bias, abs=0.001)
    sample = imu.read()
    assert np.abs(sample.angular_velocity_rad_s).max() < 0.01  # only noise left


def test_calibration_rejected_when_moving() -> None:
    swinging = lambda t: (0.0, 0.0, 1.5 * math.sin(2 * math.pi * t))  # noqa: E731
    imu, _, _, _ = _rig(angular_velocity=swinging, gyro_noise=0.002)
    imu.start()
    with pytest.raises(ImuCalibrationError, match=r"left_thigh.*not still: gyro std \[.*\] rad/s > 0.02"):
        imu.calibrate_gyro_bias(n_samples=100)
    assert imu.gyro_bias_rad_s.tolist() == [0.0, 0.0, 0.0]


def test_calibration_rejected_when_turning_steadily() -> None:
    imu, _, _, _ = _rig(angular_velocity=_const((0.0, 0.0, 0.3)), gyro_noise=0.002)
    imu.start()
    with pytest.raises(ImuCalibrationError, match="turning steadily"):
        imu.calibrate_gyro_bias(n_samples=50)


def test_axis_remap() -> None:
    # body x = -sensor y, body y = +sensor x, body z = +sensor z (a 90 deg turn about z)
    w = (2 * DPS, 4 * DPS, 6 * DPS)  # even dps: whole counts at 65.5 LSB/dps
    imu, _, _, _ = _rig(angular_velocity=_const(w), axis_remap=("-y", "+x", "+z"))
    imu.start()
    sample = imu.read()
    assert sample.angular_velocity_rad_s == pytest.approx([-4 * DPS, 2 * DPS, 6 * DPS], abs=1e-12)
    assert sample.linear_acceleration_m_s2 == pytest.approx([0.0, 0.0, G], abs=1e-12)
    assert Icm20948Config(axis_remap=["+z", "+x", "+y"]).axis_remap == ("+z", "+x", "+y")  # type: ignore[arg-type]
    np.testing.assert_array_equal(remap_matrix(("+y", "+z", "+x")), [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize(
    ("spec", "pattern"),
    [
        (("+x", "+x", "+z"), "uses sensor axis 'x' twice"),
        (("+x", "+y", "-z"), "reflection"),
        (("+x", "+y", "+w"), r"entry '\+w' \(body axis z\) is invalid; allowed: \+x, -x"),
        (("+x", "+y"), "must list 3 entries"),
    ],
)
def test_axis_remap_validation(spec: tuple[str, ...], pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        Icm20948Config(axis_remap=spec)  # type: ignore[arg-type]


def test_config_validation() -> None:
    with pytest.raises(ValueError, match=r"gyro_range_dps: value 300 is not one of 250, 500"):
        Icm20948Config(gyro_range_dps=300)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"mux_channel: value 8 is out of range; allowed \[0, 7\]"):
        Icm20948Config(mux_channel=8)
    with pytest.raises(ValueError, match="needs a Tca9548a"):
        Icm20948(Icm20948Config(mux_channel=1), Icm20948Emulator())


def test_imu_without_mux() -> None:
    emu = Icm20948Emulator(address=0x68, seed=5)  # default noise: about 0.1 dps, 1.6 mg
    imu = Icm20948(Icm20948Config(address=0x68), emu, sleep=lambda _dt: None)
    imu.start()
    assert imu.read().linear_acceleration_m_s2 == pytest.approx([0.0, 0.0, G], abs=0.1)


def test_mux_routes_each_imu_to_its_channel() -> None:
    clock = FakeClock()
    mux_emu = Tca9548aEmulator()
    left_emu = Icm20948Emulator(angular_velocity_fn=_const((0.0, 0.0, 1.0)), gyro_noise_std_rad_s=0.002, clock=clock)
    right_emu = Icm20948Emulator(angular_velocity_fn=_const((0.0, 0.0, -1.0)), gyro_noise_std_rad_s=0.002,
                                 clock=clock)
    mux_emu.attach(0, left_emu)
    mux_emu.attach(1, right_emu)
    mux = Tca9548a(mux_emu, bus_number=7)
    left = Icm20948(Icm20948Config(name="left_thigh", mux_channel=0), mux_emu, mux=mux, sleep=clock.sleep)
    right = Icm20948(Icm20948Config(name="right_thigh", mux_channel=1), mux_emu, mux=mux, sleep=clock.sleep)
    left.start()
    right.start()
    for _ in range(3):
        assert left.read().angular_velocity_rad_s[2] == pytest.approx(1.0, abs=0.01)
        assert mux_emu.mask == 0b01
        assert right.read().angular_velocity_rad_s[2] == pytest.approx(-1.0, abs=0.01)
        assert mux_emu.mask == 0b10
    writes = mux_emu.select_writes
    right.read()
    right.read()
    assert mux_emu.select_writes == writes  # same channel: no reselect
    with pytest.raises(ValueError, match="mux channel 9 is invalid"):
        mux.select(9)


def test_i2c_error_names_bus_channel_address() -> None:
    imu, emu, _, _ = _rig(gyro_noise=0.002)
    imu.start()
    imu.read()
    emu.nack = True
    with pytest.raises(ImuBusError, match=r"bus 7, mux 0x70 channel 2, address 0x69.*Remote I/O error") as info:
        imu.read()
    assert isinstance(info.value.__cause__, OSError)
    report = imu.diagnostics()
    assert (report.name, report.level) == ("left_thigh", 2)
    assert "Remote I/O error" in report.message
    assert report.values["errors"] == "1"
    emu.nack = False
    imu.read()  # recovers: bank and channel are re-established
    assert imu.diagnostics().level == 0


def test_mux_nack() -> None:
    imu, _, mux_emu, _ = _rig()
    mux_emu.nack = True
    with pytest.raises(ImuBusError, match=r"bus 7, mux 0x70 channel 2"):
        imu.start()


def test_stuck_data_detected() -> None:
    imu, emu, _, _ = _rig(gyro_noise=0.002, accel_noise=0.02, stuck_read_limit=5)
    imu.start()
    imu.read()
    emu.stuck = True
    with pytest.raises(ImuDataError, match="identical bursts"):
        for _ in range(10):
            imu.read()


def test_read_before_start() -> None:
    imu, _, _, _ = _rig()
    with pytest.raises(ImuError, match="read before start"):
        imu.read()
    assert imu.diagnostics().message == "not started"


def test_diagnostics_stale_without_samples() -> None:
    imu, _, _, clock = _rig()
    imu.start()
    imu.read()
    assert imu.diagnostics().level == 0
    clock.sleep(0.5)
    report = imu.diagnostics(stale_after_s=0.1)
    assert (report.level, report.message) == (3, "no sample for 0.50 s")
