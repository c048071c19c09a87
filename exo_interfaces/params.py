"""Typed, validated node parameters read from ROS 2 parameter files.

Every node's configuration is a frozen dataclass whose fields are declared with
:func:`param` (default, one-line doc, optional numeric range). The same YAML file
(``node_name: {ros__parameters: {...}}``) is read by ``ros2 launch`` and by the
in-process launcher; both end in :func:`from_mapping`, so a wrong key, type or
out-of-range value stops either launch with a :class:`ConfigError` naming the
file, the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

T = TypeVar("T")

#: Parameters every ROS 2 node accepts; they belong to the runtime, not to a node's config.
RUNTIME_PARAMETERS = frozenset({"use_sim_time"})


class ConfigError(ValueError):
    """A configuration file or value that cannot be used. The message says where and why."""


def param(
    default: Any,
    doc: str,
    *,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """A dataclass field with a doc string and an optional closed/open numeric range."""
    meta = {"doc": doc, "ge": ge, "le": le, "gt": gt, "lt": lt}
    if isinstance(default, (list, dict, set)):
        raise TypeError("mutable defaults are not allowed; use a tuple")
    if dataclasses.is_dataclass(default):
        return dataclasses.field(default_factory=lambda: default, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def describe_range(f: dataclasses.Field[Any]) -> str:
    """Human-readable allowed range of a field, e.g. '[0, 18]' or '(0, inf)'."""
    m = f.metadata
    lo = m.get("ge") if m.get("ge") is not None else m.get("gt")
    hi = m.get("le") if m.get("le") is not None else m.get("lt")
    left = "[" if m.get("ge") is not None else "("
    right = "]" if m.get("le") is not None else ")"
    return f"{left}{'-inf' if lo is None else lo}, {'inf' if hi is None else hi}{right}"


def _check_range(f: dataclasses.Field[Any], value: float, where: str) -> None:
    m = f.metadata
    ok = math.isfinite(value) if isinstance(value, float) else True
    if m.get("ge") is not None and not value >= m["ge"]:
        ok = False
    if m.get("le") is not None and not value <= m["le"]:
        ok = False
    if m.get("gt") is not None and not value > m["gt"]:
        ok = False
    if m.get("lt") is not None and not value < m["lt"]:
        ok = False
    if not ok:
        raise ConfigError(f"{where}: value {value!r} is out of range; allowed {describe_range(f)}")


def check_fields(obj: Any) -> None:
    """Check a config instance's Literal choices and numeric ranges; call from ``__post_init__``.

    The loader checks the same metadata for values read from a file; this makes a config built
    directly in code just as strict. Raises ConfigError (a ValueError) naming class and field.
    """
    cls = type(obj)
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        where = f"{cls.__name__}.{f.name}"
        tp = hints[f.name]
        if typing.get_origin(tp) is Literal:
            choices = typing.get_args(tp)
            # Same type too: True == 1 and 1.0 == 1 must not pass for Literal[1, -1].
            if not any(value == a and type(value) is type(a) for a in choices):
                raise ConfigError(f"{where}: value {value!r} is not one of {', '.join(map(repr, choices))}")
            continue
        if isinstance(value, (list, dict, set)):
            raise ConfigError(f"{where}: mutable value {value!r}; use a tuple")
        items = value if isinstance(value, tuple) else (value,)
        for i, item in enumerate(items):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                _check_range(f, item, f"{where}[{i}]" if isinstance(value, tuple) else where)


def _coerce(tp: Any, value: Any, where: str) -> Any:
    """Check ``value`` against the annotated type ``tp``; return it in the field's type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Literal:
        if not any(value == a and type(value) is type(a) for a in args):
            allowed = ", ".join(repr(a) for a in args)
            raise ConfigError(f"{where}: value {value!r} is not one of {allowed}")
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(arg, value, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if len(errors) == 1 else f"{where}: {value!r} matches none of {args}")
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__} {value!r}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_coerce(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise ConfigError(f"{where}: expected {len(args)} items, got {len(value)}: {value!r}")
        return tuple(_coerce(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{where}: expected a mapping for {tp.__name__}, got {value!r}")
        return _build(tp, value, where)
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true/false, got {type(value).__name__} {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {type(value).__name__} {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: expected a number, got {type(value).__name__} {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {type(value).__name__} {value!r}")
        return value
    raise TypeError(f"{where}: unsupported parameter type {tp!r}")


def _build(cls: type[T], values: Mapping[str, Any], where: str) -> T:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed keys: {', '.join(sorted(fields))}"
        )
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        f = fields[name]
        key = f"{where}.{name}"
        coerced = _coerce(hints[name], value, key)
        if isinstance(coerced, (int, float)) and not isinstance(coerced, bool):
            _check_range(f, coerced, key)
        elif isinstance(coerced, tuple):
            for i, item in enumerate(coerced):
                if isinstance(item, (int, float)) and not isinstance(item, bool):
                    _check_range(f, item, f"{key}[{i}]")
        kwargs[name] = coerced
    try:
        return cls(**kwargs)
    except (ValueError, TypeError) as exc:
        if isinstance(exc, ConfigError):
            raise
        raise ConfigError(f"{where}: {exc}") from exc


def unflatten(values: Mapping[str, Any]) -> dict[str, Any]:
    """Turn ROS 2 dotted parameter names ('motor.can_id') into nested mappings."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out


def from_mapping(cls: type[T], values: Mapping[str, Any], *, source: str = "<parameters>") -> T:
    """Build and validate ``cls`` from parameter values (nested or dotted keys)."""
    clean = {k: v for k, v in values.items() if k not in RUNTIME_PARAMETERS}
    return _build(cls, unflatten(clean), source)


def read_parameter_file(path: str | Path) -> dict[str, dict[str, Any]]:
    """Read a ROS 2 parameter file: ``{node_name: {ros__parameters: {...}}}``.

    Returns the ``ros__parameters`` mapping per node name (leading '/' stripped);
    a ``/**`` section applies to every node and is merged under each node's own values.
    """
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read parameter file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected 'node_name: {{ros__parameters: ...}}' at top level")
    sections: dict[str, dict[str, Any]] = {}
    for node, body in raw.items():
        if not isinstance(body, dict) or set(body) != {"ros__parameters"}:
            raise ConfigError(f"{path}: section {node!r} must contain exactly 'ros__parameters'")
        params = body["ros__parameters"] or {}
        if not isinstance(params, dict):
            raise ConfigError(f"{path}: {node}.ros__parameters must be a mapping")
        sections[str(node).lstrip("/")] = params
    common = sections.pop("**", {})
    return {name: {**common, **p} for name, p in sections.items()} | ({"**": common} if common else {})


def load_node_config(cls: type[T], path: str | Path, node_name: str) -> T:
    """Load and validate the config of ``node_name`` from a parameter file.

    A node with no section gets its defaults (plus any ``/**`` values).
    """
    sections = read_parameter_file(path)
    values = sections.get(node_name, sections.get("**", {}))
    return from_mapping(cls, values, source=f"{path}: {node_name}")


def to_mapping(config: Any) -> dict[str, Any]:
    """The inverse of :func:`from_mapping`: plain nested values (tuples as lists)."""
    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, tuple):
            return [plain(x) for x in v]
        return v

    return plain(config)
