"""Device emulators that speak the same wire protocols as the real hardware.

Used by tests, benches and the offline (no-hardware) launch path: the drivers run unchanged
against them over a python-can bus or an SMBus-like object.
"""
