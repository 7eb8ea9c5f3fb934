"""Shared fixtures: a real sandbox on a free loopback port, temp dirs, a qasync loop.

Qt runs offscreen unless a test asks for a real X server (Xvfb in CI). In CI
(``AGENTAPP_CI_STRICT=1``, set by ``.ci/run``) a missing service is a failure,
never a skip: see ``testkit.strict.need_service``. The helpers themselves live
in ``testkit/`` (shared with ``bench/``).

Nothing may depend on the machine: Hypothesis has no per-example deadline (a
loaded CI machine is not a bug), and a dialog a test leaves open fails that
test and is closed, so it cannot block the tests after it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from agentapp.qt import main_thread_gc
from agentapp.sandbox import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from testkit.homes import private_xdg_tree
from testkit.qt_loop import QtLoop, close_loop, open_loop

pytest_plugins = ["pytester", "testkit.pytest_dialogs", "testkit.pytest_windows"]

settings.register_profile("agentapp", deadline=None)
settings.load_profile("agentapp")


@pytest.fixture(scope="session", autouse=True)
def collect_on_the_qt_thread(qapp: QApplication) -> main_thread_gc.MainThreadGc:
    """As in the app: cyclic GC only on the Qt thread (the sandbox thread allocates too)."""
    return main_thread_gc.install(qapp)


@pytest.fixture(autouse=True)
def collect_due_garbage(collect_on_the_qt_thread: main_thread_gc.MainThreadGc) -> Iterator[None]:
    """Tests that never spin the Qt loop still get their cycles collected, on this thread."""
    yield
    collect_on_the_qt_thread.collect_due()


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """Apply themes, then put the application's look back for the tests after."""
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    qapp.setStyle(style)


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
    for var, value in private_xdg_tree(tmp_path).items():
        monkeypatch.setenv(var, value)
    return tmp_path


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[QtLoop]:
    """A qasync loop for the test body: ``qloop.run(scenario())``."""
    # As the app does (app.main): closing its last window never stops the loop. Without
    # this, pytest-qt's qapp quit when a test closed the last window, unless an earlier
    # test had happened to set it (test order decided).
    qapp.setQuitOnLastWindowClosed(False)
    loop = open_loop(qapp)
    try:
        yield QtLoop(loop)
    finally:
        close_loop(loop)
