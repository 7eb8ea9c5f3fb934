"""The crash the main-thread collector prevents, reproduced in a child process.

Qt objects with running timers, dropped in reference cycles while a worker
thread allocates: without the collector, the worker's collection destroys them
on the wrong thread ("QObject::~QObject: Timers cannot be stopped from another
thread") and the next tick segfaults within seconds. The app's runtime
installs the collector, and so does this child.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent("""
    import sys, threading
    from PySide6.QtCore import QCoreApplication, QObject, QTimer
    from agentapp.qt import main_thread_gc

    app = QCoreApplication([])
    main_thread_gc.install(app, interval_ms=5)

    class Ticking(QObject):
        def __init__(self):
            super().__init__()
            self.me = self  # a cycle: only the cyclic collector frees it
            self.timer = QTimer(self, interval=1)
            self.timer.timeout.connect(lambda: None)
            self.timer.start()
            self.startTimer(1)

        def timerEvent(self, event):
            pass

    running = True
    def allocate():
        while running:
            junk = [[i] for i in range(2000)]
            del junk

    worker = threading.Thread(target=allocate, daemon=True)
    worker.start()
    for _ in range(500):
        for _ in range(20):
            Ticking()
        app.processEvents()
    running = False
    worker.join()
    print("survived")
""")


def test_qt_objects_in_cycles_survive_a_worker_that_allocates() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=120, env={"QT_QPA_PLATFORM": "offscreen",
                                            "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"
    assert "another thread" not in done.stderr

