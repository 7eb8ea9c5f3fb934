"""The token never reaches a child process (issue 16.2).

Without a session bus Qt autolaunches ``dbus-launch``; it and its daemon used to
inherit ``AGENTAPP_TOKEN`` and keep it for as long as they ran. The app now
takes the token out of its environment before Qt or anything else starts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from agentapp.sandbox.thread import SandboxThread
from testkit.strict import need_service

REPO = Path(__file__).resolve().parents[2]
TOKEN = "tok-" + uuid.uuid4().hex  # unique, so a match anywhere is ours


def _children_of(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents[int(entry.name)] = ppid
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found += kids
        frontier += kids
    return found


def _environ(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "environ").read_bytes()
    except OSError:
        return b""


def test_take_env_token_unsets_it_for_every_later_child() -> None:
    code = (
        "import os, subprocess\n"
        "from agentapp.cli import take_env_token\n"
        "token = take_env_token()\n"
        "child = subprocess.run(['env'], capture_output=True, text=True).stdout\n"
        "print(token == os.environ.get('EXPECTED'), 'AGENTAPP_TOKEN' in child,"
        " 'AGENTAPP_TOKEN' in os.environ)\n"
    )
    env = {**os.environ, "AGENTAPP_TOKEN": TOKEN, "EXPECTED": TOKEN}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout.split()
    assert out == ["True", "False", "False"]


FAKE_DBUS_LAUNCH = """#!/bin/sh
# Stands in for dbus-launch, which libdbus runs when Qt wants a session bus and
# there is none: it records the environment the real one would have inherited.
env > "$(dirname "$0")/dbus-launch.env"
exit 1
"""


def test_no_child_of_the_running_app_has_the_token(
        sandbox: SandboxThread, data_dirs: Path) -> None:
    need_service(bool(os.environ.get("DISPLAY")), "an X server (DISPLAY; Xvfb in CI)")
    fake_bin = data_dirs / "bin"
    fake_bin.mkdir()
    (fake_bin / "dbus-launch").write_text(FAKE_DBUS_LAUNCH)
    (fake_bin / "dbus-launch").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update(AGENTAPP_TOKEN=sandbox.token, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(REPO),
               XDG_RUNTIME_DIR=str(data_dirs), PATH=f"{fake_bin}:{env.get('PATH', '')}")
    app = subprocess.Popen(
        [sys.executable, "-m", "agentapp", "--api-url", sandbox.base_url, "--extension", "2101",
         "--did", "+911143104567", "--profile", "token-env"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        # Signed in for real once its receiver is registered with the sandbox.
        while not sandbox.control("GET", "/_sandbox/info")["webhook_url"]:
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            assert time.monotonic() < deadline, "the app did not sign in"
            time.sleep(0.1)
        leaks = [pid for pid in _children_of(app.pid) if sandbox.token.encode() in _environ(pid)]
        assert leaks == [], f"children holding the token: {leaks}"
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(20)
        finally:
            if app.poll() is None:
                app.kill()
    assert app.returncode == 0
    seen = fake_bin / "dbus-launch.env"
    assert seen.exists(), "Qt did not autolaunch a session bus: nothing was checked"
    assert sandbox.token not in seen.read_text()
    assert "AGENTAPP_TOKEN" not in seen.read_text()
