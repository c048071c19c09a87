"""Labels the sim and control sides print alike in their tables."""

from __future__ import annotations


def speed_label(v: float) -> str:
    """A commanded speed (m/s) as a table row label: one decimal, two where one would merge rows (1.05 is not 1.1)."""
    two = f"{v:.2f}"
    return two[:-1] if two.endswith("0") else two
