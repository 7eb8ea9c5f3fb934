"""The real app (AppRuntime + MainWindow) against a SandboxThread, on a qasync loop.

The harness itself is ``testkit`` (shared with tests/e2e): the app starts
signed in (``--api-url`` + ``AGENTAPP_TOKEN`` + ``--extension`` + ``--did``),
the sandbox runs in its own thread, so everything between them is real
loopback HTTP and real webhooks. Settings, logs and the keyring live in a temp
dir; calling hours and the app's local time are pinned, so a bench run at
night is not asked "call outside calling hours?".
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from testkit.homes import XDG_DIRS, private_xdg_tree
from testkit.waiting import wait_until as _wait_until

if TYPE_CHECKING:  # Qt and the app load only when a bench runs (bench.probe times startup)
    from agentapp.core.call import CallTimeline
    from testkit.apps import AppUnderTest

T = TypeVar("T")

EXTENSION = "2101"
DID = "+911143104567"
SANDBOX_SPEED = 50.0


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
    os.environ.update(private_xdg_tree(root, (*XDG_DIRS, "XDG_RUNTIME_DIR")))
    os.environ["AGENTAPP_BENCH_HOME"] = str(root)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return root


def run_qt(factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one coroutine on a fresh qasync loop (Qt events and asyncio tasks together)."""
    from testkit.qt_loop import run_qt as run

    return run(factory)


async def wait_until(predicate: Callable[[], object], within: float, what: str) -> None:
    """Poll ``predicate`` while the loop keeps running (never used inside a timed span)."""
    await _wait_until(predicate, within, what, interval=0.005, error=BenchError)


@asynccontextmanager
async def live_app() -> AsyncIterator[AppUnderTest]:
    """The signed-in app against a fresh sandbox (speed 50, no history)."""
    from agentapp.logging_setup import configure_logging
    from agentapp.paths import log_dir
    from agentapp.sandbox import SandboxConfig
    from agentapp.sandbox.thread import SandboxThread
    from testkit.apps import launch_app, new_profile, pin_calling_hours

    isolate_home()
    sandbox = SandboxThread(SandboxConfig(speed=SANDBOX_SPEED, history=0))
    sandbox.start()
    try:
        profile = new_profile("bench")
        pin_calling_hours(profile)
        # The app's logging as in production (INFO to the log file; not to stderr, which
        # carries the table), without its excepthook (an error dialog, not a traceback).
        configure_logging(log_dir(), secrets=lambda: [], stderr=False)
        app = await launch_app(["--api-url", sandbox.base_url, "--extension", EXTENSION,
                                "--did", DID], profile=profile, env_token=sandbox.token,
                               sandbox=sandbox, within=30, error=BenchError)
        try:
            if app.runtime.services is None:
                raise BenchError("the app started without a session (sign-in refused?)")
            yield app
        finally:
            await app.stop()
    finally:
        sandbox.stop()


async def place_and_end(app: AppUnderTest, number: str, *, end_within: float = 30) -> CallTimeline:
    """Place one call through the window (typed number, Call button) and wait for it to end."""
    import asyncio

    from agentapp.core.call import CallTimeline

    placed: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    def done(value: object) -> None:
        if not placed.done():
            placed.set_result(value)

    app.runtime.dial.placed.connect(done)
    app.runtime.dial.refused.connect(done)
    try:
        app.window.dial.number.setText(number)
        app.window.dial.call_button.click()
        value = await asyncio.wait_for(placed, 15)
    finally:
        app.runtime.dial.placed.disconnect(done)
        app.runtime.dial.refused.disconnect(done)
    if not isinstance(value, CallTimeline) or not value.logid:
        raise BenchError(f"could not place a call to {number}: {value}")
    tracker = app.services.tracker
    await wait_until(lambda: not (tracker.get(value.call_id) or value).is_live, end_within,
                     "the call to end")
    return value
