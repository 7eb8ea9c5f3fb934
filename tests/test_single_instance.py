"""Single instance over QLocalSocket: forward, ack, stale sockets, a real 2nd process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from agentapp.single_instance import SingleInstance, instance_name

REPO = Path(__file__).resolve().parents[1]
MESSAGE = {"argv_target": "tel:+919812345678", "dial": True}


@pytest.fixture
def name() -> str:
    return instance_name(f"test-{uuid.uuid4().hex}")


@pytest.fixture
def server(qtbot: QtBot, name: str) -> Iterator[SingleInstance]:
    instance = SingleInstance(name)
    instance.listen()
    yield instance
    instance.close()


def test_name_depends_on_user_profile_and_home_and_is_safe() -> None:
    a = instance_name("default", user="asha", home="/home/asha")
    assert a == instance_name("default", user="asha", home="/home/asha")
    assert a != instance_name("work", user="asha", home="/home/asha")
    assert a != instance_name("default", user="ravi", home="/home/asha")
    assert a != instance_name("default", user="asha", home="/srv/asha-2")
    leaf = os.path.basename(a)
    assert leaf.startswith("agentapp-") and leaf.replace("-", "").isalnum()


@pytest.fixture
def sessions() -> Iterator[tuple[Path, Path]]:
    """Two login sessions' runtime dirs (short paths: a socket path has a size limit)."""
    with tempfile.TemporaryDirectory(dir="/tmp") as a, tempfile.TemporaryDirectory(dir="/tmp") as b:
        yield Path(a), Path(b)


def test_socket_lives_in_the_session_runtime_dir(
        sessions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    session_a, session_b = sessions
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(session_a))
    in_a = instance_name("default", user="asha", home="/home/asha")
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(session_b))
    in_b = instance_name("default", user="asha", home="/home/asha")
    assert Path(in_a).parent == session_a and Path(in_b).parent == session_b


def test_instances_in_two_sessions_do_not_meet(
        qtbot: QtBot, sessions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(sessions[0]))
    running = SingleInstance(instance_name("default"))
    running.listen()
    try:
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(sessions[1]))
        assert SingleInstance(instance_name("default")).try_forward(MESSAGE, 300) is False
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(sessions[0]))
        with qtbot.waitSignal(running.message_received, timeout=5000):
            assert SingleInstance(instance_name("default")).try_forward(MESSAGE, 3000) is True
    finally:
        running.close()


def test_forward_without_server_returns_false(name: str) -> None:
    assert SingleInstance(name).try_forward(MESSAGE, timeout_ms=200) is False


def test_message_forwarded_in_process(qtbot: QtBot, server: SingleInstance, name: str) -> None:
    with qtbot.waitSignal(server.message_received, timeout=5000) as blocker:
        assert SingleInstance(name).try_forward(MESSAGE, timeout_ms=3000) is True
    assert blocker.args == [MESSAGE]


def test_malformed_messages_ignored_then_valid_one_works(
    qtbot: QtBot, server: SingleInstance, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    received: list[dict[str, object]] = []
    server.message_received.connect(received.append)
    for garbage in (b"not json\n", b"[1, 2]\n", b"\xff\xfe\n"):
        raw = QLocalSocket()
        raw.connectToServer(name)
        assert raw.waitForConnected(1000)
        raw.write(garbage)
        raw.flush()
        qtbot.waitUntil(lambda s=raw: s.state() == QLocalSocket.LocalSocketState.UnconnectedState,
                        timeout=3000)
    assert received == []
    assert caplog.text.count("ignored") == 3
    assert SingleInstance(name).try_forward({"argv_target": "callto:123"}, 3000) is True
    assert received == [{"argv_target": "callto:123"}]


def test_stale_socket_file_does_not_block(qtbot: QtBot, name: str) -> None:
    path = name if os.path.isabs(name) else os.path.join(QDir.tempPath(), name)
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(path)  # a socket file whose owner died without cleaning up
    crashed.close()
    assert os.path.exists(path)
    assert SingleInstance(name).try_forward(MESSAGE, timeout_ms=300) is False
    instance = SingleInstance(name)
    instance.listen()
    try:
        with qtbot.waitSignal(instance.message_received, timeout=5000):
            assert SingleInstance(name).try_forward(MESSAGE, timeout_ms=3000) is True
    finally:
        instance.close()


@pytest.mark.parametrize("with_app", [True, False], ids=["event-loop", "blocking"])
def test_real_second_process_forwards(
    qtbot: QtBot, server: SingleInstance, name: str, with_app: bool
) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from agentapp.single_instance import SingleInstance\n"
        f"app = QCoreApplication(sys.argv) if {with_app!r} else None\n"
        f"ok = SingleInstance({name!r}).try_forward({MESSAGE!r}, timeout_ms=5000)\n"
        "sys.exit(0 if ok else 3)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    with qtbot.waitSignal(server.message_received, timeout=20000) as blocker:
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env)
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
    assert blocker.args == [MESSAGE]
    assert proc.returncode == 0


def test_second_launch_prints_what_it_handed_over(qtbot: QtBot, data_dirs: Path) -> None:
    profile = f"hand-{uuid.uuid4().hex[:8]}"
    server = SingleInstance(instance_name(profile))
    server.listen()
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("AGENTAPP_TOKEN", None)
    try:
        with qtbot.waitSignal(server.message_received, timeout=20000) as blocker:
            proc = subprocess.Popen(
                [sys.executable, "-m", "agentapp", "--profile", profile, "tel:+919812345678"],
                cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=20000)
        out, _err = proc.communicate()
    finally:
        server.close()
    assert proc.returncode == 0
    assert blocker.args == [{"target": "tel:+919812345678", "dial": False}]
    assert out.splitlines() == [
        f"Handed tel:+919812345678 to the running Agent Companion window (profile {profile})."]
