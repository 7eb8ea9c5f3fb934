"""Skip locally, fail in CI: for tests that need a real service .ci/run provides."""

from __future__ import annotations

import os

import pytest


def strict() -> bool:
    return os.environ.get("AGENTAPP_CI_STRICT") == "1"


def need_service(available: bool, what: str) -> None:
    """Skip when ``what`` is missing locally; fail in CI, where .ci/run provides it."""
    if available:
        return
    if strict():
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} not available on this machine")
