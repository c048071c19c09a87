"""Each metric against a case computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from exo_sim import metrics


def test_mean_activation() -> None:
    a = np.array([[0.1, 0.3], [0.2, 0.6]])
    assert metrics.mean_activation(a) == pytest.approx(0.3)


def test_biological_moment_removes_exo_torque() -> None:
    np.testing.assert_allclose(metrics.biological_moment(np.array([[50.0, 20.0]]), np.array([[10.0, 0.0]])), [[40.0, 20.0]])


def test_positive_power_per_kg() -> None:
    # t0: 10*2 + (-5*1 -> 0) = 20 W; t1: (3*-1 -> 0) + 4*4 = 16 W; mean 18 W over 2 kg = 9 W/kg
    m = np.array([[10.0, -5.0], [3.0, 4.0]])
    w = np.array([[2.0, 1.0], [-1.0, 4.0]])
    assert metrics.positive_power_per_kg(m, w, 2.0) == pytest.approx(9.0)


def test_torque_per_kg() -> None:
    np.testing.assert_allclose(metrics.torque_per_kg(np.array([15.0, -7.5]), 75.0), [0.2, -0.1])


def test_gait_events_strides_and_phase() -> None:
    f = np.array([0, 0, 50, 400, 300, 0, 0, 0, 100, 500, 0, 0, 60, 0])
    hs, to = metrics.gait_events(f, threshold_n=50.0)
    np.testing.assert_array_equal(hs, [3, 8, 12])  # 50 is not above 50
    np.testing.assert_array_equal(to, [5, 10, 13])
    np.testing.assert_array_equal(metrics.strides(hs), [[3, 8], [8, 12]])
    ph = metrics.gait_phase(len(f), hs)
    np.testing.assert_allclose(ph[3:12], [0, 0.2, 0.4, 0.6, 0.8, 0, 0.25, 0.5, 0.75])
    assert np.isnan(ph[:3]).all() and np.isnan(ph[12:]).all()


def test_stride_profiles_resample_to_101_points() -> None:
    x = np.arange(11, dtype=float)  # a ramp; heel strikes at 0, 4, 10
    prof = metrics.stride_profiles(x, np.array([0, 4, 10]))
    assert prof.shape == (2, 101)
    np.testing.assert_allclose(prof[0, [0, 50, 100]], [0.0, 2.0, 4.0])
    np.testing.assert_allclose(prof[1, [0, 50, 100]], [4.0, 7.0, 10.0])
    mean, sd = metrics.profile_mean_sd(prof)
    np.testing.assert_allclose(mean[[0, 100]], [2.0, 7.0])
    np.testing.assert_allclose(sd[[0, 100]], [2.0, 3.0])


def test_stride_profiles_keep_channel_shape_and_per_stride_mean() -> None:
    x = np.stack([np.arange(9.0), 2 * np.arange(9.0)], axis=1)
    assert metrics.stride_profiles(x, np.array([0, 4, 8])).shape == (2, 101, 2)
    np.testing.assert_allclose(metrics.per_stride_mean(x, np.array([0, 4, 8])), [[1.5, 3.0], [5.5, 11.0]])
