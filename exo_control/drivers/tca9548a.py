"""TCA9548A 8-channel I2C multiplexer: one control register, bit n enables channel n."""

from __future__ import annotations

import logging

from exo_control.drivers.errors import ImuBusError
from exo_control.drivers.i2c import I2CBus, i2c_call

log = logging.getLogger(__name__)

TCA9548A_DEFAULT_ADDRESS = 0x70
NUM_CHANNELS = 8


class Tca9548a:
    """Selects one downstream channel at a time. Shared by every device behind it; the
    selected channel is cached so consecutive reads on one channel cost no extra transfer.
    Not thread-safe (one I2C owner thread)."""

    def __init__(self, bus: I2CBus, *, address: int = TCA9548A_DEFAULT_ADDRESS,
                 bus_number: int | None = None) -> None:
        if not 0x70 <= address <= 0x77:
            raise ValueError(f"TCA9548A address 0x{address:02X} is invalid; allowed: 0x70..0x77")
        self._bus = bus
        self.address = address
        self.bus_number = bus_number
        self._selected: int | None = None

    @property
    def selected(self) -> int | None:
        return self._selected

    def describe(self, channel: int | None = None) -> str:
        ch = "" if channel is None else f" channel {channel}"
        return f"bus {self.bus_number}, mux 0x{self.address:02X}{ch}"

    def select(self, channel: int) -> None:
        """Route the bus to ``channel`` (0..7); verified by reading the register back."""
        if not 0 <= channel < NUM_CHANNELS:
            raise ValueError(f"mux channel {channel} is invalid; allowed: 0..{NUM_CHANNELS - 1}")
        if self._selected == channel:
            return
        where = self.describe(channel)
        mask = 1 << channel
        try:
            i2c_call(lambda: self._bus.write_byte(self.address, mask), where)
            readback = i2c_call(lambda: self._bus.read_byte(self.address), where)
        except ImuBusError:
            self._selected = None
            raise
        if readback != mask:
            self._selected = None
            raise ImuBusError(f"mux did not take channel select ({where}): wrote 0x{mask:02X}, "
                              f"read back 0x{readback:02X}")
        self._selected = channel
        log.debug("selected %s", where)

    def disable_all(self) -> None:
        """Disconnect every channel (e.g. before handing the bus to another tool)."""
        i2c_call(lambda: self._bus.write_byte(self.address, 0), self.describe())
        self._selected = None

    def invalidate(self) -> None:
        """Forget the cached channel (after an error, the mux state is unknown)."""
        self._selected = None
