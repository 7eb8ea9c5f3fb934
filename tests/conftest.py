"""Shared fixtures: a real sandbox on a free loopback port, temp dirs, strict CI.

Qt runs offscreen unless a test asks for a real X server (Xvfb in CI). In CI
(``AGENTAPP_CI_STRICT=1``, set by ``.ci/run``) a missing service is a failure,
never a skip: see ``services_available.need_service``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    """Fast, deterministic world; tests tweak fields before the server starts."""
    return SandboxConfig(host="127.0.0.1", port=0, seed=1, speed=20.0, history=60)


@pytest.fixture
def sandbox(sandbox_config: SandboxConfig) -> Iterator[SandboxThread]:
    with SandboxThread(sandbox_config) as running:
        yield running


@pytest.fixture
def data_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (config, data, state, cache, logs) at a temp tree."""
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (tmp_path / sub).mkdir()
        monkeypatch.setenv(var, str(tmp_path / sub))
    return tmp_path
