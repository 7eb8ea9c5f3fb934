"""The X server going away ends the app cleanly (seen when xvfb-run was stopped).

Qt stops the event loop when its display connection breaks, under the runtime's
feet; the shutdown used to await on a loop that no longer ran and died with
"RuntimeError: no running event loop" and a CRITICAL traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from testkit.homes import XDG_DIRS, private_xdg_tree
from testkit.strict import need_service

REPO = Path(__file__).resolve().parents[2]


def test_losing_the_display_quits_without_a_traceback(tmp_path: Path) -> None:
    need_service(shutil.which("Xvfb") is not None, "Xvfb")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0",
                             "1366x768x24", "-nolisten", "tcp"], pass_fds=(write_fd,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        display = ":" + pipe.readline().strip()
    env = {k: v for k, v in os.environ.items() if k != "AGENTAPP_TOKEN"}
    env.update(private_xdg_tree(tmp_path, (*XDG_DIRS, "XDG_RUNTIME_DIR")))
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO))
    log = tmp_path / "app.log"
    with log.open("w") as out:
        app = subprocess.Popen([sys.executable, "-m", "agentapp", "--sandbox",
                                "--profile", "display-lost"], cwd=REPO, env=env,
                               stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while "session started" not in log.read_text():
                assert app.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "the app did not start"
                time.sleep(0.1)
            xvfb.terminate()
            xvfb.wait(10)
            code = app.wait(30)
        finally:
            for proc in (app, xvfb):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    text = log.read_text()
    assert code == 0, text
    # Background tasks cut off mid-request may still log their own failure; what must
    # not happen is the crash handler (CRITICAL "Unhandled exception") and a failed exit.
    assert "CRITICAL" not in text and "Unhandled exception" not in text, text
    assert "the display connection was lost" in text
