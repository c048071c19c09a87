"""Typed parameter loading: each kind of bad config is rejected with a message that says where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from exo_interfaces.params import ConfigError, from_mapping, load_node_config, param, read_parameter_file


@dataclass(frozen=True, kw_only=True)
class Inner:
    can_id: int = param(1, "CAN id.", ge=1, le=127)


@dataclass(frozen=True, kw_only=True)
class Example:
    rate_hz: float = param(200.0, "Rate.", ge=100.0, le=500.0)
    firmware: Literal["legacy", "v3"] = param("legacy", "Firmware.")
    enabled: bool = param(False, "On.")
    gains: tuple[float, ...] = param((1.0, 2.0), "Gains.", ge=0.0)
    motor: Inner = param(Inner(), "Motor.")


def test_defaults_and_int_to_float() -> None:
    cfg = from_mapping(Example, {"rate_hz": 300})
    assert cfg.rate_hz == 300.0 and isinstance(cfg.rate_hz, float)
    assert cfg.motor.can_id == 1


def test_nested_and_dotted_keys_are_equivalent() -> None:
    a = from_mapping(Example, {"motor": {"can_id": 5}})
    b = from_mapping(Example, {"motor.can_id": 5})
    assert a == b and a.motor.can_id == 5


def test_unknown_key_is_rejected_and_allowed_keys_listed() -> None:
    with pytest.raises(ConfigError, match=r"f.yaml: node: unknown key\(s\) rate_hx; allowed keys: enabled, firmware"):
        from_mapping(Example, {"rate_hx": 200.0}, source="f.yaml: node")


def test_wrong_type_is_rejected() -> None:
    with pytest.raises(ConfigError, match=r"src.rate_hz: expected a number, got str '200'"):
        from_mapping(Example, {"rate_hz": "200"}, source="src")
    with pytest.raises(ConfigError, match=r"src.enabled: expected true/false, got int 1"):
        from_mapping(Example, {"enabled": 1}, source="src")
    with pytest.raises(ConfigError, match=r"src.motor.can_id: expected an integer, got float 1.5"):
        from_mapping(Example, {"motor": {"can_id": 1.5}}, source="src")


def test_out_of_range_is_rejected_with_range() -> None:
    with pytest.raises(ConfigError, match=r"src.rate_hz: value 50.0 is out of range; allowed \[100.0, 500.0\]"):
        from_mapping(Example, {"rate_hz": 50}, source="src")
    with pytest.raises(ConfigError, match=r"src.gains\[1\]: value -1.0 is out of range"):
        from_mapping(Example, {"gains": [1.0, -1.0]}, source="src")
    with pytest.raises(ConfigError, match=r"src.motor.can_id: value 200 is out of range; allowed \[1, 127\]"):
        from_mapping(Example, {"motor.can_id": 200}, source="src")


def test_literal_lists_choices() -> None:
    with pytest.raises(ConfigError, match=r"src.firmware: value 'v2' is not one of 'legacy', 'v3'"):
        from_mapping(Example, {"firmware": "v2"}, source="src")


def test_nan_is_out_of_range() -> None:
    with pytest.raises(ConfigError, match="out of range"):
        from_mapping(Example, {"rate_hz": float("nan")})


def test_parameter_file_sections(tmp_path: Path) -> None:
    f = tmp_path / "p.yaml"
    f.write_text("/**:\n  ros__parameters:\n    enabled: true\n/node:\n  ros__parameters:\n    rate_hz: 250.0\n")
    cfg = load_node_config(Example, f, "node")
    assert cfg.enabled is True and cfg.rate_hz == 250.0
    assert load_node_config(Example, f, "other").enabled is True


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("node:\n  rate_hz: 1\n", "must contain exactly 'ros__parameters'"),
        ("- a\n- b\n", "at top level"),
        ("node: [\n", "not valid YAML"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=message):
        read_parameter_file(f)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.yaml: cannot read parameter file"):
        read_parameter_file(tmp_path / "nope.yaml")


def test_mutable_default_refused() -> None:
    with pytest.raises(TypeError, match="mutable"):
        param([1.0], "no lists")


def test_shipped_parameter_files_are_valid(repo: Path) -> None:
    from exo_control.launch_plan import load_plan_configs

    for plan in ("sim", "hardware"):
        names = [entry.name for entry, _cls, _cfg in load_plan_configs(plan, repo / "config" / f"{plan}.yaml")]
        assert names[-2:] == ["policy", "safety"]


def test_section_for_unknown_node_is_rejected(tmp_path: Path) -> None:
    from exo_control.launch_plan import load_plan_configs

    f = tmp_path / "typo.yaml"
    f.write_text("safty:\n  ros__parameters:\n    rate_hz: 200.0\n")
    with pytest.raises(ConfigError, match="section\\(s\\) safty match no node of the 'sim' launch"):
        load_plan_configs("sim", f)


def test_bad_value_in_nested_driver_config_names_file_and_key(tmp_path: Path, repo: Path) -> None:
    from exo_control.launch_plan import load_plan_configs

    text = (repo / "config" / "hardware.yaml").read_text().replace("torque_limit_nm: 15.0  # never", "torque_limit_nm: 25.0  # never", 1)
    f = tmp_path / "hw.yaml"
    f.write_text(text)
    with pytest.raises(ConfigError, match=r"hw.yaml: motor_driver.left: .*torque_limit_nm.*25.0"):
        load_plan_configs("hardware", f)
