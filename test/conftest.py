"""Shared pytest setup: markers and a repo-root fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: long-running test, run with `pytest -m slow`")
    config.addinivalue_line("markers", "netns: needs a loopback-only network namespace (root, iproute2)")


@pytest.fixture
def repo() -> Path:
    return REPO
