"""The slice of the smbus2 ``SMBus`` API the IMU layer uses, and OSError translation.

Drivers take any object with these methods, so the same code runs on ``smbus2.SMBus(7)``
on the Jetson and on the register-level emulators in ``exo_control.emulators``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from exo_control.drivers.errors import ImuBusError

T = TypeVar("T")


class I2CBus(Protocol):
    """Structural type of ``smbus2.SMBus`` as used here (7-bit addresses)."""

    def read_byte(self, i2c_addr: int) -> int: ...

    def write_byte(self, i2c_addr: int, value: int) -> None: ...

    def read_byte_data(self, i2c_addr: int, register: int) -> int: ...

    def write_byte_data(self, i2c_addr: int, register: int, value: int) -> None: ...

    def read_i2c_block_data(self, i2c_addr: int, register: int, length: int) -> list[int]: ...


def i2c_call(fn: Callable[[], T], where: str,
             error: type[ImuBusError] = ImuBusError) -> T:
    """Run one transfer; turn ``OSError`` (NACK = errno 121, timeouts, adapter gone) into
    ``error`` with ``where`` (bus/channel/address/register) in the message."""
    try:
        return fn()
    except OSError as exc:
        raise error(f"I2C transfer failed ({where}): {exc}") from exc
