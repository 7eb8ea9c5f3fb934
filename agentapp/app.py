"""Composition root: argv, single instance, QApplication, qasync loop, services.

Everything is built here once and passed in; nothing else looks up a global
or ``QApplication.instance()``. Qt is imported only on the paths that show a
window, so ``--version`` and ``--check-api`` start fast; on those paths a
window shell paints first and the rest is imported after it (``run_window``).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from agentapp.cli import TOKEN_ENV, LaunchRequest, parse_launch, take_env_relay, take_env_token

if TYPE_CHECKING:  # asyncio too: it loads after the window shell's first paint
    import asyncio

    from PySide6.QtWidgets import QApplication

    from agentapp.runtime import AppRuntime
    from agentapp.single_instance import SingleInstance
    from agentapp.ui.starting_shell import StartingShell



def _check_api(launch: LaunchRequest, env_token: str | None) -> int:
    import asyncio

    from agentapp.core.urls import insecure_url_reason
    from agentapp.secrets import SecretStore
    from agentapp.services.doctor import run_check
    from agentapp.settings import API_BASE_URL, API_PATH_OVERRIDES, Settings

    settings = Settings.for_profile(launch.profile)
    settings.load()
    token = env_token or SecretStore().get_token(launch.profile)
    if not token:
        print(f"No token: sign in once from the app, or set {TOKEN_ENV}.", file=sys.stderr)
        return 2
    base_url = launch.api_url or settings.get(API_BASE_URL)
    insecure = insecure_url_reason(base_url)
    if insecure is not None:
        print(f"Not checking {base_url}: {insecure}", file=sys.stderr)
        return 2
    return asyncio.run(run_check(base_url, token,
                                 path_overrides=settings.get(API_PATH_OVERRIDES)))


def _store_relay_creds(launch: LaunchRequest) -> int:
    """NATS credentials for the team relay, from stdin (never argv) into the keyring."""
    from agentapp.secrets import SecretStore, SecretStoreError

    creds = sys.stdin.read().strip()
    if not creds:
        print("No credentials on stdin (user:password, a token or a .creds file).",
              file=sys.stderr)
        return 2
    try:
        SecretStore().set_relay_creds(launch.profile, creds)
    except SecretStoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print("Relay credentials saved in the keyring.")
    return 0


def _audio_check() -> int:
    """``--audio-check``: JSON on stdout, exit 0 whenever the check ran (no Qt here)."""
    import asyncio
    import json
    import logging

    from agentapp.audio.backend import AudioError, AudioUnavailable
    from agentapp.audio.selftest import run_check

    logging.getLogger("agentapp").addHandler(logging.NullHandler())  # stderr: one line
    logging.getLogger("agentapp").propagate = False
    try:
        report = asyncio.run(run_check())
    except (AudioUnavailable, AudioError) as exc:
        print(f"agentapp: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(report, indent=2))
    return 0


def _log_loop_error(_loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
    """Errors of background tasks nobody awaited: logged (redacted), never lost."""
    import logging

    exc = context.get("exception")
    logging.getLogger("agentapp").error("background task failed: %s", context.get("message", ""),
              exc_info=exc if isinstance(exc, BaseException) else None)


def _quit_on_signals(runtime: AppRuntime) -> None:
    """Ctrl+C / SIGTERM quit cleanly (tasks cancelled, client closed, exit 0).

    Python runs signal handlers only between bytecodes; while Qt waits in C++ a
    periodic no-op timer gives it that chance.
    """
    import signal  # not at import: its enums cost ~5 ms before the first paint

    from PySide6.QtCore import QTimer

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _signum, _frame: runtime.quit())
    runtime.signal_timer = QTimer(interval=250)
    runtime.signal_timer.timeout.connect(lambda: None)
    runtime.signal_timer.start()


def handed_over_message(launch: LaunchRequest) -> str:
    """The one line a second launch prints: what the running window received."""
    where = f"the running Agent Companion window (profile {launch.profile})"
    if not launch.target:
        return f"Agent Companion is already running: brought {where} to the front."
    action = ", to dial at once" if launch.dial else ""
    return f"Handed {launch.target} to {where}{action}."


FORWARD_SLOW_AFTER_MS = 1_000
FORWARD_PATIENCE_MS = 20_000


def hand_over(single: SingleInstance, launch: LaunchRequest, *,
              slow_after_ms: int = FORWARD_SLOW_AFTER_MS,
              patience_ms: int = FORWARD_PATIENCE_MS) -> int | None:
    """Give this launch to the running window; None when there is none (start one).

    A busy window (stopped, or swamped) is waited for and never replaced: its
    socket is not deleted and no second instance starts.
    """
    from agentapp.single_instance import Forward

    def tell_slow() -> None:
        print(f"Agent Companion is running but its window is not answering; waiting up to "
              f"{patience_ms // 1000} s…", flush=True)

    result = single.forward({"target": launch.target or "", "dial": launch.dial},
                            patience_ms=patience_ms, slow_after_ms=slow_after_ms,
                            on_slow=tell_slow)
    if result is Forward.DELIVERED:
        print(handed_over_message(launch), flush=True)
        return 0
    if result is Forward.NOT_ANSWERING:
        print(f"The running Agent Companion window (profile {launch.profile}) did not answer "
              f"within {patience_ms // 1000} s, so nothing was handed over. Try again in a "
              "moment; if it stays stuck, quit it and start the app again.", flush=True)
        return 1
    return None


def _uncached_pyside_check() -> None:
    """Keep PySide6's import hook from caching the source of every module (~15 MiB).

    For its ``from __feature__ import ...`` support PySide6 checks each module
    imported after it for the word "PySide6" with ``inspect.getsource``, which
    keeps every line of every file in ``linecache`` for the life of the process.
    The same check, reading the file without caching it, answers alike (no source
    file: False, as before). Skipped if a PySide6 version has no such hook.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str):
            return False
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False

    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 (no stubs for it)
    # The modules imported before PySide6 were already checked the old way (typing,
    # inspect, argparse...: ~0.7 MiB of cached lines); linecache is only a cache.
    import linecache

    linecache.clearcache()


def make_qapp() -> QApplication:
    """The one QApplication, named and set up as the desktop expects."""
    from PySide6.QtWidgets import QApplication

    from agentapp import APP_ID, APP_NAME

    _uncached_pyside_check()

    app = QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("IVR Solutions")
    app.setDesktopFileName(APP_ID)
    app.setQuitOnLastWindowClosed(False)
    return app


def show_shell(app: QApplication, launch: LaunchRequest) -> StartingShell:
    """The window frame with "Starting…", painted before the rest of the app is imported.

    Imports only Qt and small modules and peeks at three settings (theme, language,
    where the window was) without the Settings machinery: this is what keeps the
    first paint close to a bare Qt window's (docs/performance.md). A "system" theme
    keeps Qt's own palette, which follows the desktop's light/dark scheme, until the
    runtime applies the app's.
    """
    from agentapp import APP_NAME
    from agentapp.i18n import install_translator
    from agentapp.paths import settings_file
    from agentapp.startup import shell_prefs
    from agentapp.ui.starting_shell import StartingShell

    try:
        blob: bytes | None = settings_file(launch.profile).read_bytes()
    except OSError:
        blob = None
    prefs = shell_prefs(blob)
    install_translator(app, prefs.language)
    if prefs.theme != "system":
        from agentapp.ui.theme import apply_theme

        apply_theme(app, prefs.theme)
    shell = StartingShell(APP_NAME, prefs.geometry)
    shell.show_painted()
    return shell


def _skip_httpx_cli() -> None:
    """httpx imports its command-line client (click, rich, pygments: ~6 MiB, ~35 ms)
    whenever those happen to be installed (developer tools bring them). The app never
    runs it; a stand-in keeps ``httpx.main`` defined and says where the real one is."""
    import types

    if "httpx" in sys.modules or "httpx._main" in sys.modules:
        return
    stand_in = types.ModuleType("httpx._main")

    def main() -> None:
        print("Agent Companion does not ship the httpx command line; run `python -m httpx`.",
              file=sys.stderr)

    stand_in.main = main  # type: ignore[attr-defined]
    sys.modules["httpx._main"] = stand_in


def run_window(app: QApplication, launch: LaunchRequest, single: SingleInstance, *,
               env_token: str | None, env_relay: tuple[str, str] | None,
               watch: Callable[[AppRuntime], Awaitable[None]] | None = None) -> int:
    """Shell first, then the runtime on a qasync loop until it quits.

    ``watch`` (benches) runs beside the runtime once it exists. Started ``--minimized``
    (at login) nothing is painted: the runtime decides whether the tray can hold it.
    """
    shell = None if launch.minimized else show_shell(app, launch)
    _skip_httpx_cli()
    import asyncio  # everything from here on loads after the first paint

    from agentapp.secrets_process import ProcessSecretStore

    # The keyring through a helper process per call (keyring never loads in here). The
    # start reads the token unless AGENTAPP_TOKEN or demo mode stands in for it
    # (AppRuntime._initial_plan): the helper reads it while the rest is imported.
    secrets = ProcessSecretStore()
    if not env_token and not launch.sandbox:
        secrets.read_token_early(launch.profile)

    import qasync

    from agentapp.runtime import AppRuntime

    runtime = AppRuntime(app, launch, single, secrets=secrets, env_token=env_token,
                         env_relay=env_relay, shell=shell)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    _quit_on_signals(runtime)
    loop.set_exception_handler(_log_loop_error)

    async def run() -> int:
        watcher = asyncio.ensure_future(watch(runtime)) if watch is not None else None
        try:
            return await runtime.run()
        finally:
            secrets.close()  # a helper still waiting (an unlock prompt) is not waited for
            if watcher is not None:
                watcher.cancel()

    with loop:
        return loop.run_until_complete(run())


def main(argv: Sequence[str] | None = None) -> int:
    env_token = take_env_token()  # before anything can start a child process
    env_relay = take_env_relay()
    launch = parse_launch(sys.argv[1:] if argv is None else argv)
    if launch.keyring_helper:  # the app's own keyring helper: no Qt, one request, exit
        from agentapp.secrets_helper import serve

        return serve()
    if launch.check_api:
        return _check_api(launch, env_token)
    if launch.store_relay_creds:
        return _store_relay_creds(launch)
    if launch.audio_check:
        return _audio_check()

    from agentapp.single_instance import InstanceRunning, SingleInstance, instance_name

    app = make_qapp()
    single = SingleInstance(instance_name(launch.profile))
    handed = hand_over(single, launch)
    if handed is not None:
        return handed
    try:
        single.listen()
    except InstanceRunning:  # another launch won the race: hand over to it instead
        return hand_over(single, launch) or 0
    try:
        return run_window(app, launch, single, env_token=env_token, env_relay=env_relay)
    finally:
        single.close()


if __name__ == "__main__":
    raise SystemExit(main())
