"""Range and choice checks for frozen config dataclasses, run from ``__post_init__``.

The parameter-file loader in :mod:`exo_interfaces.params` checks the same metadata when a
config comes from YAML; this makes a config built directly in code just as strict.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any, Literal


def _in_range(value: float, meta: typing.Mapping[str, Any]) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    checks = (("ge", value.__ge__), ("le", value.__le__), ("gt", value.__gt__), ("lt", value.__lt__))
    return all(meta.get(key) is None or bool(op(meta[key])) for key, op in checks)


def _range_text(meta: typing.Mapping[str, Any]) -> str:
    lo = meta.get("ge") if meta.get("ge") is not None else meta.get("gt")
    hi = meta.get("le") if meta.get("le") is not None else meta.get("lt")
    left = "[" if meta.get("ge") is not None else "("
    right = "]" if meta.get("le") is not None else ")"
    return f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"


def check_fields(obj: Any) -> None:
    """Raise ValueError naming the field, the value and what is allowed, for the first bad field."""
    cls = type(obj)
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        where = f"{cls.__name__}.{f.name}"
        tp = hints[f.name]
        if typing.get_origin(tp) is Literal and value not in typing.get_args(tp):
            allowed = ", ".join(repr(a) for a in typing.get_args(tp))
            raise ValueError(f"{where}: {value!r} is not one of {allowed}")
        if isinstance(value, list | dict | set):
            raise ValueError(f"{where}: mutable value {value!r}; use a tuple")
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int | float):
                continue
            if not _in_range(item, f.metadata):
                raise ValueError(f"{where}: value {item!r} is out of range; allowed {_range_text(f.metadata)}")
