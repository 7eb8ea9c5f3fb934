"""The real app (AppRuntime + MainWindow) against a SandboxThread, on a qasync loop.

Mirrors what ``agentapp.app.main`` and tests/e2e/conftest.py do: the app starts
signed in (``--api-url`` + ``AGENTAPP_TOKEN`` + ``--extension`` + ``--did``), the
sandbox runs in its own thread, so everything between them is real loopback
HTTP and real webhooks. Settings, logs and the keyring live in a temp dir.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from keyring.backend import KeyringBackend

if TYPE_CHECKING:
    import httpx
    from PySide6.QtWidgets import QApplication

    from agentapp.composition import SessionServices
    from agentapp.runtime import AppRuntime
    from agentapp.sandbox.thread import SandboxThread
    from agentapp.ui.main_window import MainWindow

T = TypeVar("T")

EXTENSION = "2101"
DID = "+911143104567"
SANDBOX_SPEED = 50.0

_XDG = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME",
        "XDG_RUNTIME_DIR")


class BenchError(RuntimeError):
    """The app did not do what the bench needs (a refusal, a missing receiver...)."""


def isolate_home() -> Path:
    """Point platformdirs (settings, logs, instance socket) at a fresh temp tree.

    Idempotent per process; child processes inherit the environment.
    """
    existing = os.environ.get("AGENTAPP_BENCH_HOME")
    if existing:
        return Path(existing)
    root = Path(tempfile.mkdtemp(prefix="agentapp-bench-"))
    atexit.register(shutil.rmtree, root, True)
    for var in _XDG:
        path = root / var.lower()
        path.mkdir(mode=0o700)
        os.environ[var] = str(path)
    os.environ["AGENTAPP_BENCH_HOME"] = str(root)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return root


class MemoryKeyring(KeyringBackend):
    """Never touch the user's OS keyring from a bench."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()
        self._passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._passwords.pop((service, username), None)


def qt_app() -> QApplication:
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    return app


def run_qt(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one coroutine on a qasync loop (Qt events and asyncio tasks together)."""
    import qasync

    app = qt_app()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(factory())
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        asyncio.set_event_loop(None)


async def wait_until(predicate: Callable[[], object], within: float, what: str) -> None:
    """Poll ``predicate`` while the loop keeps running (never used inside a timed span)."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise BenchError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(0.005)


class LiveApp:
    def __init__(self, runtime: AppRuntime, task: asyncio.Task[int],
                 sandbox: SandboxThread) -> None:
        self.runtime = runtime
        self.task = task
        self.sandbox = sandbox

    @property
    def window(self) -> MainWindow:
        if self.runtime.window is None:
            raise BenchError("the app has no window")
        return self.runtime.window

    @property
    def services(self) -> SessionServices:
        if self.runtime.services is None:
            raise BenchError("the app has no session")
        return self.runtime.services

    @property
    def http(self) -> httpx.AsyncClient:
        """The app's one shared AsyncClient (created by ``AppRuntime.run``)."""
        client = self.runtime._http
        if client is None:
            raise BenchError("the app has no http client")
        return client


def _write_settings(profile: str) -> None:
    from agentapp.settings import DIAL_CALLING_HOURS_END, DIAL_CALLING_HOURS_START, Settings

    settings = Settings.for_profile(profile)
    # start == end: no calling-hours question, whatever the time the bench runs at.
    settings.set(DIAL_CALLING_HOURS_START, "00:00")
    settings.set(DIAL_CALLING_HOURS_END, "00:00")
    settings.save()


@asynccontextmanager
async def live_app() -> AsyncIterator[LiveApp]:
    """The signed-in app against a fresh sandbox (speed 50, no history)."""
    from agentapp.cli import parse_launch
    from agentapp.logging_setup import configure_logging
    from agentapp.paths import log_dir
    from agentapp.runtime import AppRuntime
    from agentapp.sandbox import SandboxConfig
    from agentapp.sandbox.thread import SandboxThread
    from agentapp.secrets import AsyncSecretStore, SecretStore
    from agentapp.single_instance import SingleInstance, instance_name

    isolate_home()
    sandbox = SandboxThread(SandboxConfig(speed=SANDBOX_SPEED, history=0))
    sandbox.start()
    profile = "bench-" + uuid.uuid4().hex[:8]
    _write_settings(profile)
    launch = parse_launch(["--api-url", sandbox.base_url, "--extension", EXTENSION,
                           "--did", DID, "--profile", profile])
    single = SingleInstance(instance_name(profile))
    single.listen()
    # The app's logging as in production (INFO to the log file; not to stderr, which
    # carries the table), without its excepthook (an error dialog, not a traceback).
    configure_logging(log_dir(), secrets=lambda: [], stderr=False)
    runtime = AppRuntime(qt_app(), launch, single, env_token=sandbox.token,
                         secrets=AsyncSecretStore(SecretStore(MemoryKeyring())),
                         install_hooks=False)
    task = asyncio.ensure_future(runtime.run())
    try:
        await wait_until(lambda: runtime.started.is_set() or task.done(), 30, "app start")
        if task.done():
            task.result()
            raise BenchError("the app stopped during start")
        if runtime.services is None:
            raise BenchError("the app started without a session (sign-in refused?)")
        yield LiveApp(runtime, task, sandbox)
    finally:
        runtime.quit()
        try:
            await asyncio.wait_for(task, 15)
        finally:
            single.close()
            sandbox.stop()
