"""Typed exceptions of the hardware layer.

Two families, each under one base, so callers can catch "anything the motor layer raised"
(``MotorError``) or "anything the IMU layer raised" (``ImuError``) without string matching.
"""

from __future__ import annotations


class HardwareError(Exception):
    """Base of every error raised by ``exo_control.drivers``."""


# --- motors (AK series, CAN) -------------------------------------------------------------


class MotorError(HardwareError):
    """Base of every AK-motor error (protocol and driver)."""


class MotorProtocolError(MotorError):
    """A frame could not be encoded or decoded under the AK MIT-mode protocol."""


class MalformedFrameError(MotorProtocolError):
    """A received frame has the wrong length, id kind or contents for its type."""


class UnknownMotorError(MotorProtocolError):
    """A frame names a motor id that no driver on this bus is registered for."""


class UnknownModelError(MotorProtocolError, ValueError):
    """A model/firmware pair has no entry in the range table."""


class MotorStateError(MotorError):
    """An operation is not allowed in the motor's current lifecycle state."""


class MotorTimeoutError(MotorError):
    """The motor did not reply within the configured timeout."""


class MotorFaultError(MotorError):
    """The motor reported an error code, or a measured limit (temperature) was exceeded."""


class MotorBusError(MotorError):
    """CAN bus I/O failed (python-can ``CanError`` underneath: closed bus, bus-off...)."""


class MotorSendError(MotorBusError):
    """The CAN bus refused a frame we tried to send."""


class NonFiniteCommandError(MotorError, ValueError):
    """A command value was NaN or infinite; a zero-torque frame was sent instead."""


# --- IMUs (ICM-20948 behind a TCA9548A, I2C) -------------------------------------------


class ImuError(HardwareError):
    """Base of every IMU / I2C-multiplexer error."""


class ImuBusError(ImuError):
    """An I2C transfer failed (``OSError`` underneath: NACK, bus stuck, adapter gone)."""


class ImuNotFoundError(ImuBusError):
    """No device acknowledged at the expected address on the selected mux channel."""


class WhoAmIMismatchError(ImuError):
    """A device answered, but its WHO_AM_I register is not the ICM-20948's."""


class ImuCalibrationError(ImuError):
    """Gyro bias calibration was rejected (the sensor moved while it should stand still)."""


class ImuDataError(ImuError):
    """Sample data is implausible (e.g. identical registers for many reads: stuck sensor)."""
