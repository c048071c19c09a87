"""Validation of frozen config dataclasses from their field metadata.

Each field may carry ``metadata={"doc": ..., "ge": ..., "le": ..., "gt": ...}``; ``Literal``
annotations restrict the allowed values. ``check_fields`` raises ``ValueError`` naming the
class, field, value and the allowed range, so a typo in a YAML file reads as a sentence.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any, Literal


def check_fields(obj: Any) -> None:
    """Validate every field of dataclass instance ``obj`` against its metadata and type."""
    cls = type(obj)
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        where = f"{cls.__name__}.{f.name}={value!r}"
        hint = hints.get(f.name)
        if typing.get_origin(hint) is Literal:
            allowed = typing.get_args(hint)
            # same type too: True == 1 and 1.0 == 1 must not pass for Literal[1, -1]
            if not any(value == a and type(value) is type(a) for a in allowed):
                raise ValueError(f"{where} is not allowed; allowed values: {', '.join(map(repr, allowed))}")
            continue
        bounds = {k: f.metadata[k] for k in ("ge", "gt", "le", "lt") if k in f.metadata}
        if not bounds or value is None:  # None: an Optional field left unset
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{where} must be a number")
        if not math.isfinite(value):
            raise ValueError(f"{where} must be finite")
        ok = (
            value >= bounds.get("ge", -math.inf)
            and value > bounds.get("gt", -math.inf)
            and value <= bounds.get("le", math.inf)
            and value < bounds.get("lt", math.inf)
        )
        if not ok:
            raise ValueError(f"{where} is out of range; allowed: {describe_bounds(bounds)}")


def describe_bounds(bounds: dict[str, float]) -> str:
    """Human-readable interval, e.g. '>= 1 and <= 255'."""
    words = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
    return " and ".join(f"{words[k]} {v}" for k, v in bounds.items())


def doc_of(cls: type, name: str) -> str:
    """The ``doc`` metadata of a dataclass field (for generated parameter descriptions)."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            return str(f.metadata.get("doc", ""))
    raise KeyError(f"{cls.__name__} has no field {name!r}")
