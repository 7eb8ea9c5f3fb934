"""Single instance over QLocalSocket: forward, ack, stale sockets, a real 2nd process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
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


def test_name_depends_on_user_and_profile_and_is_safe() -> None:
    a = instance_name("default", user="asha")
    assert a == instance_name("default", user="asha")
    assert a != instance_name("work", user="asha")
    assert a != instance_name("default", user="ravi")
    assert a.startswith("agentapp-") and a.replace("-", "").isalnum()


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
    path = os.path.join(QDir.tempPath(), name)
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
