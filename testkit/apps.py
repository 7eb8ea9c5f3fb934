"""Start the real app (AppRuntime + MainWindow) inside a running qasync loop.

What ``agentapp.app.main`` does, minus the process-wide hooks: the app keeps
its token in an in-memory keyring, reads its local time from a pinned clock
(noon unless the caller says otherwise) and stops with :meth:`AppUnderTest.stop`.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from keyring.backend import KeyringBackend
from PySide6.QtWidgets import QApplication

from agentapp.cli import parse_launch
from agentapp.composition import SessionServices
from agentapp.runtime import AppRuntime
from agentapp.sandbox.thread import SandboxThread
from agentapp.secrets import AsyncSecretStore, SecretStore
from agentapp.settings import DIAL_CALLING_HOURS_END, DIAL_CALLING_HOURS_START, Settings
from agentapp.single_instance import SingleInstance, instance_name
from agentapp.ui.main_window import MainWindow
from testkit.clock import LocalTime
from testkit.keyrings import MemoryKeyring
from testkit.qt_loop import qt_app
from testkit.sandbox import placed_calls
from testkit.waiting import wait_until

CALLING_HOURS = ("09:00", "21:00")


def new_profile(prefix: str = "test") -> str:
    """A profile name no other test or bench run uses (settings file, instance socket)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def pin_calling_hours(profile: str, hours: tuple[str, str] = CALLING_HOURS) -> None:
    """Write the calling hours into ``profile``'s settings before the app reads them.

    Tests and benches must not follow a change of the default; with the pinned
    local time (:mod:`testkit.clock`) whether a dial is inside is then fixed.
    """
    settings = Settings.for_profile(profile)
    settings.load()
    settings.set(DIAL_CALLING_HOURS_START, hours[0])
    settings.set(DIAL_CALLING_HOURS_END, hours[1])
    settings.save()


@dataclass
class AppUnderTest:
    """A running app; its accessors raise ``error`` (the caller's failure type) when unset."""

    runtime: AppRuntime
    task: asyncio.Task[int]
    single: SingleInstance
    profile: str
    local_time: LocalTime
    sandbox_thread: SandboxThread | None = None
    error: type[Exception] = field(default=AssertionError, repr=False)

    @property
    def sandbox(self) -> SandboxThread:
        """The test sandbox the app was started against."""
        if self.sandbox_thread is None:
            raise self.error("the app was not started against a test sandbox")
        return self.sandbox_thread

    @property
    def window(self) -> MainWindow:
        if self.runtime.window is None:
            raise self.error("the app has no window")
        return self.runtime.window

    @property
    def services(self) -> SessionServices:
        if self.runtime.services is None:
            raise self.error("the app has no session")
        return self.runtime.services

    @property
    def http(self) -> httpx.AsyncClient:
        """The app's one shared AsyncClient (created by ``AppRuntime.run``)."""
        if self.runtime.http is None:
            raise self.error("the app has no http client")
        return self.runtime.http

    def calls(self) -> list[dict[str, Any]]:
        """Every call the sandbox saw placed."""
        return placed_calls(self.sandbox)

    async def stop(self, within: float = 15.0) -> int:
        """Quit the app, wait for ``run()`` to return, release the instance socket."""
        self.runtime.quit()
        try:
            return await asyncio.wait_for(self.task, within)
        finally:
            self.single.close()


async def launch_app(argv: Sequence[str], *, profile: str, keyring: KeyringBackend | None = None,
                     env_token: str | None = None,
                     local_time: LocalTime | None = None, sandbox: SandboxThread | None = None,
                     app: QApplication | None = None, within: float = 60.0,
                     error: type[Exception] = AssertionError) -> AppUnderTest:
    """Start the app with ``argv`` (plus ``--profile``) and wait until it is up.

    ``env_token`` is what the app would have read from ``AGENTAPP_TOKEN``. Its
    local time is ``local_time`` (noon by default); ``sandbox`` is only
    remembered, for :meth:`AppUnderTest.calls`.
    """
    local_time = local_time or LocalTime()
    launch = parse_launch([*argv, "--profile", profile])
    single = SingleInstance(instance_name(profile))
    single.listen()
    runtime = AppRuntime(app or qt_app(), launch, single,
                         secrets=AsyncSecretStore(SecretStore(keyring or MemoryKeyring())),
                         install_hooks=False, env_token=env_token,
                         clock=local_time.session_clock())
    task = asyncio.ensure_future(runtime.run())
    running = AppUnderTest(runtime, task, single, profile, local_time, sandbox, error)
    try:
        await wait_until(lambda: runtime.started.is_set() or task.done(), within, "app start",
                         error=error)
        if task.done():
            task.result()
            raise error("the app stopped during start")
    except BaseException:
        if not task.done():
            await running.stop()
        single.close()
        raise
    return running


class StartApp(Protocol):
    """The e2e ``start_app`` fixture: ``app = await start_app(*argv, extension="2101")``."""

    def __call__(self, *argv: str, extension: str = ..., did: str = ...,
                 api_url: str | None = ...) -> Awaitable[AppUnderTest]: ...
