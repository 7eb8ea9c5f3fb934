"""Single instance over QLocalSocket: forward, ack, stale sockets, a real 2nd process."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from agentapp.app import hand_over
from agentapp.cli import parse_launch
from agentapp.single_instance import Forward, InstanceRunning, SingleInstance, instance_name

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

        def closed(s: QLocalSocket = raw) -> bool:
            return s.state() == QLocalSocket.LocalSocketState.UnconnectedState

        qtbot.waitUntil(closed, timeout=3000)
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


class StuckOwner:
    """A socket someone listens on but never answers (the app under SIGSTOP)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(name)
        self.sock.listen(8)

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.name)


@pytest.fixture
def stuck(sessions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(sessions[0]))
    name = instance_name(f"stuck-{uuid.uuid4().hex[:6]}")
    owner = StuckOwner(name)
    yield name
    owner.close()


@pytest.mark.parametrize("with_app", [True, False], ids=["event-loop", "blocking"])
def test_a_slow_owner_is_told_not_replaced(
        qtbot: QtBot, stuck: str, with_app: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not with_app:
        monkeypatch.setattr("agentapp.single_instance.QCoreApplication.instance",
                            lambda: None)
    told: list[str] = []
    result = SingleInstance(stuck).forward(MESSAGE, patience_ms=600, slow_after_ms=200,
                                           on_slow=lambda: told.append("slow"))
    assert result is Forward.NOT_ANSWERING
    assert told == ["slow"]
    with pytest.raises(InstanceRunning):
        SingleInstance(stuck).listen()
    assert os.path.exists(stuck), "the live owner's socket must not be deleted"


def test_hand_over_to_a_stuck_window_says_so_and_starts_nothing(
        qtbot: QtBot, stuck: str, capsys: pytest.CaptureFixture[str]) -> None:
    launch = parse_launch(["--profile", "stuck", "tel:+919812345678"])
    code = hand_over(SingleInstance(stuck), launch, slow_after_ms=100, patience_ms=400)
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    assert lines[0].startswith("Agent Companion is running but its window is not answering")
    assert "did not answer" in lines[1] and "nothing was handed over" in lines[1]


def test_a_slow_but_alive_window_gets_the_message_once(
        qtbot: QtBot, sessions: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The owner answers after the 'slow' notice: delivered once, on the same connection."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(sessions[0]))
    name = instance_name("slow")
    owner = StuckOwner(name)
    received: list[bytes] = []

    def answer_late() -> None:
        conn, _ = owner.sock.accept()
        with conn:
            time.sleep(0.5)  # the owner is busy; the client must keep waiting
            received.append(conn.recv(4096))
            conn.sendall(b"ok\n")

    worker = threading.Thread(target=answer_late)
    worker.start()
    told: list[str] = []
    try:
        monkeypatch.setattr("agentapp.single_instance.QCoreApplication.instance",
                            lambda: None)
        result = SingleInstance(name).forward(MESSAGE, patience_ms=10_000, slow_after_ms=100,
                                              on_slow=lambda: told.append("slow"))
    finally:
        worker.join(15)
        owner.close()
    assert result is Forward.DELIVERED
    assert told == ["slow"]
    assert [json.loads(r) for r in received] == [MESSAGE]
