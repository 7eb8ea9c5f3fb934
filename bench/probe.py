"""Child process for the startup and memory benches: ``python -m bench.probe app|bare``.

Prints ``SHOWN`` when a QMainWindow gets its first paint event, ``READY`` once
the app is usable (for the app: ``AppRuntime.started`` is set, i.e. the demo
session is running; for the baseline right after ``SHOWN``), then, after
SETTLE_S more seconds of event loop, ``RSS <kB>`` (VmRSS from /proc/self/status),
and exits.

``app``  the demo app as ``agentapp --sandbox`` starts it (agentapp.app.main's steps).
``bare`` a QApplication showing an empty QMainWindow: the baseline.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow

SETTLE_S = 1.0


def vm_rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class FirstPaint(QObject):
    """Application event filter: says SHOWN on a QMainWindow's first paint event."""

    seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.seen and event.type() == QEvent.Type.Paint and isinstance(
                watched, QMainWindow):
            self.seen = True
            _say("SHOWN")
        return False


def bare() -> int:
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    painted = FirstPaint()
    app.installEventFilter(painted)
    window = QMainWindow()
    window.resize(480, 640)
    window.show()
    while not painted.seen:
        app.processEvents()
    _say("READY")
    deadline = time.monotonic() + SETTLE_S
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    _say(f"RSS {vm_rss_kb()}")
    window.close()
    return 0


def app() -> int:
    import asyncio
    import uuid

    import qasync
    from PySide6.QtWidgets import QApplication

    from agentapp import APP_ID, APP_NAME
    from agentapp.cli import parse_launch
    from agentapp.runtime import AppRuntime
    from agentapp.single_instance import SingleInstance, instance_name
    from bench.harness import isolate_home

    isolate_home()
    launch = parse_launch(["--sandbox", "--profile", "bench-" + uuid.uuid4().hex[:8]])
    qapp = QApplication([sys.argv[0]])
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName("IVR Solutions")
    qapp.setDesktopFileName(APP_ID)
    qapp.setQuitOnLastWindowClosed(False)
    single = SingleInstance(instance_name(launch.profile))
    single.listen()
    painted = FirstPaint()
    qapp.installEventFilter(painted)
    runtime = AppRuntime(qapp, launch, single)

    async def watch() -> None:
        await runtime.started.wait()
        _say("READY")
        await asyncio.sleep(SETTLE_S)
        _say(f"RSS {vm_rss_kb()}")
        runtime.quit()

    async def main() -> int:
        watcher = asyncio.ensure_future(watch())
        code = await runtime.run()
        watcher.cancel()
        return code

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(main())
    finally:
        single.close()


if __name__ == "__main__":
    kinds = {"app": app, "bare": bare}
    if len(sys.argv) != 2 or sys.argv[1] not in kinds:
        sys.exit("usage: python -m bench.probe app|bare")
    sys.exit(kinds[sys.argv[1]]())
