"""Refuse python-can ``udp_multicast`` outside a loopback-only network namespace.

Multicast CAN emulation is for tests and dry runs between processes; on a machine with real
network interfaces it would send traffic onto them. Use it inside a namespace that has only
``lo`` (``unshare -n``; ``ip link set lo up``; ``ip route add 224.0.0.0/4 dev lo``).
"""

from __future__ import annotations

import socket
from collections.abc import Callable


class NetworkGuardError(RuntimeError):
    """udp_multicast requested where it would reach a real network interface."""


def interfaces() -> list[str]:
    """Interfaces of this process's network namespace (sysfs may show another namespace's)."""
    return sorted(name for _index, name in socket.if_nameindex())


def require_loopback_only(interface: str, *, list_interfaces: Callable[[], list[str]] = interfaces) -> None:
    """Raise NetworkGuardError if ``interface`` is udp_multicast and any interface but lo exists."""
    if interface != "udp_multicast":
        return
    others = [name for name in list_interfaces() if name != "lo"]
    if others:
        raise NetworkGuardError(
            f"python-can udp_multicast would send on real interfaces ({', '.join(others)}); run it in a "
            "loopback-only network namespace (unshare -n; ip link set lo up; ip route add 224.0.0.0/4 dev lo)"
        )
