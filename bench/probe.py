"""Child process for the startup and memory benches: ``python -m bench.probe KIND``.

Prints ``SHOWN`` at the first paint of the first window (for the app: the window
shell that ``agentapp.app`` paints before importing the rest; both seen in the
window's own ``event()``), ``MAIN`` at the first paint of the real ``MainWindow``,
``READY`` once the app is usable
(``AppRuntime.started``: the session is running), then, after SETTLE_S more
seconds of event loop, ``RSS <kB>`` (VmRSS from /proc/self/status), and exits.
For the baseline MAIN and READY follow SHOWN at once.

``bare``            a QApplication showing an empty QMainWindow: the baseline.
``demo``            ``agentapp --sandbox`` (``agentapp.app``'s own start-up path).
``signed-in URL``   ``agentapp --api-url URL --extension 2101 --did …``, the token in
                    the bench's test keyring (``bench.probe_keyring``), as a signed-in
                    agent starts it; further arguments go to the app (``--relay …``).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the probe must not import Qt or the runtime before the app does
    from PySide6.QtCore import QEvent, QObject

    from agentapp.runtime import AppRuntime

SETTLE_S = 1.0
# Read by bench.probe_keyring, which keyring imports in the app's keyring helper process
# (agentapp.secrets_helper): the helper inherits these variables from the app.
KEYRING_TOKEN_ENV = "AGENTAPP_BENCH_KEYRING_TOKEN"
KEYRING_PROFILE_ENV = "AGENTAPP_BENCH_KEYRING_PROFILE"
EXTENSION = "2101"
DID = "+911143104567"


def vm_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def first_paint_filter() -> QObject:
    """Application event filter: MAIN at the first paint of the app's ``MainWindow``.

    Installed only once the window shell has painted: a Python filter sees every
    event of every object, which would slow the very start it measures. Built
    here, not at import: PySide6 imported before the app would make its import
    hook read every later module's source into ``linecache`` (~3 MiB the app
    itself does not hold, see ``agentapp.app._uncached_pyside_check``).
    """
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint and type(
                    watched).__name__ == "MainWindow":
                self.seen = True
                _say("MAIN")
            return False

    return FirstPaint()


def _say_when_shell_paints() -> None:
    """SHOWN at the shell's first paint, from its own ``event()`` (no filter on the app)."""
    from PySide6.QtCore import QEvent

    from agentapp.ui.starting_shell import StartingShell

    shell_event = StartingShell.event

    def event(self: StartingShell, event: QEvent) -> bool:
        if not self.painted and event.type() == QEvent.Type.Paint:
            _say("SHOWN")
        return shell_event(self, event)

    StartingShell.event = event  # type: ignore[method-assign]


def bare() -> int:
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop
    from PySide6.QtWidgets import QApplication, QMainWindow

    class BareWindow(QMainWindow):
        """The baseline window: SHOWN at its first paint, seen in its own ``event()`` as
        the app's window shell sees its own (agentapp.ui.starting_shell)."""

        painted = False

        def event(self, event: QEvent) -> bool:
            if not self.painted and event.type() == QEvent.Type.Paint:
                self.painted = True
                _say("SHOWN")
            return super().event(event)

    app = QApplication([sys.argv[0]])
    window = BareWindow()
    window.setWindowTitle("bench bare window")  # bench.bundle finds it by this name
    window.resize(480, 640)
    window.show()
    while not window.painted:
        app.processEvents()
    _say("MAIN")
    _say("READY")
    deadline = time.monotonic() + SETTLE_S
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    _say(f"RSS {vm_rss_kb()}")
    window.close()
    return 0


def app(argv: list[str]) -> int:
    """The app through ``agentapp.app``'s own path (shell, imports, runtime)."""
    from agentapp.app import make_qapp, run_window
    from agentapp.cli import parse_launch, take_env_relay, take_env_token
    from agentapp.single_instance import SingleInstance, instance_name

    if "AGENTAPP_BENCH_HOME" not in os.environ:  # run by hand, not by bench.startup
        from bench.harness import isolate_home

        isolate_home()
    profile = "bench-" + os.urandom(4).hex()  # not uuid: it costs ~10 ms of imports
    os.environ[KEYRING_PROFILE_ENV] = profile  # bench.probe_keyring holds the token for it
    launch = parse_launch([*argv, "--profile", profile])
    env_token, env_relay = take_env_token(), take_env_relay()
    qapp = make_qapp()
    _say_when_shell_paints()
    painted = first_paint_filter()
    single = SingleInstance(instance_name(launch.profile))
    single.listen()

    async def watch(runtime: AppRuntime) -> None:
        import asyncio  # loaded by then: not before the app's own first paint

        qapp.installEventFilter(painted)  # before the runtime builds the main window
        await runtime.started.wait()
        if runtime.services is None:
            _say("FAILED no session")
        _say("READY")
        await asyncio.sleep(SETTLE_S)
        _say(f"RSS {vm_rss_kb()}")
        runtime.quit()

    try:
        return run_window(qapp, launch, single, env_token=env_token, env_relay=env_relay,
                          watch=watch)
    finally:
        single.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["bare"] and len(sys.argv) == 2:
        sys.exit(bare())
    if sys.argv[1:2] == ["demo"] and len(sys.argv) == 2:
        sys.exit(app(["--sandbox"]))
    if sys.argv[1:2] == ["signed-in"] and len(sys.argv) >= 3:
        sys.exit(app(["--api-url", sys.argv[2], "--extension", EXTENSION, "--did", DID,
                      *sys.argv[3:]]))
    sys.exit("usage: python -m bench.probe bare|demo|signed-in URL [app arguments]")
