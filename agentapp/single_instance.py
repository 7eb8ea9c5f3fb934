"""One running app per user and profile; later launches hand their argv to it.

Why a local socket and not a lock file: the second launch (e.g. a clicked
``tel:`` link) must *deliver* its target to the running window, not just
notice it. Protocol: the client sends one JSON object on one line, the server
answers ``ok`` on one line. Anything else is ignored with a log line.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACK = b"ok\n"
MAX_MESSAGE_BYTES = 64 * 1024


# A Unix socket path must fit sockaddr_un (108 bytes on Linux, 104 on macOS).
_MAX_SOCKET_PATH = 100


def instance_name(profile: str, user: str | None = None, *, home: str | None = None) -> str:
    """Where the instance of this user, login session and profile listens.

    The name hashes the user, the profile and the home (``$HOME``), so another
    login with another home never reaches this window. On Unix it is a socket
    path in the per-session runtime dir (``$XDG_RUNTIME_DIR``, mode 0700; the
    platform's runtime dir elsewhere) rather than the shared ``/tmp``; Windows
    names a pipe.
    """
    who = user if user is not None else getpass.getuser()
    where = home if home is not None else os.path.expanduser("~")
    digest = hashlib.sha256(f"{who}\0{profile}\0{where}".encode()).hexdigest()[:20]
    name = f"agentapp-{digest}"
    if sys.platform == "win32":
        return name
    runtime = _runtime_dir()
    if runtime is None:
        return name  # Qt then uses its temp dir, as before
    path = str(runtime / name)
    return path if len(path.encode()) <= _MAX_SOCKET_PATH else name


def _runtime_dir() -> Path | None:
    """``$XDG_RUNTIME_DIR`` itself where set (the session's own, 0700); else the
    platform's runtime dir for us, created private. None when neither is usable."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    if xdg and os.path.isabs(xdg) and os.path.isdir(xdg):
        return Path(xdg)
    with warnings.catch_warnings():  # "XDG_RUNTIME_DIR is not set": the fallback is fine
        warnings.simplefilter("ignore")
        path = Path(platformdirs.user_runtime_dir("agentapp"))
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        log.warning("single instance: no runtime dir (%s); using the temp dir", exc)
        return None
    return path


class Forward(Enum):
    DELIVERED = "delivered"          # the running window acknowledged it
    NO_INSTANCE = "no instance"      # nobody listens: this launch becomes the instance
    NOT_ANSWERING = "not answering"  # someone listens but did not acknowledge in time


class InstanceRunning(RuntimeError):
    """``listen()`` found a live owner of the socket: never take its role."""


@dataclass
class _Waits:
    patience_ms: int
    slow_after_ms: int | None
    on_slow: Callable[[], None] | None
    told: bool = False

    def maybe_slow(self, elapsed_ms: float) -> None:
        if (self.on_slow is not None and not self.told and self.slow_after_ms is not None
                and elapsed_ms >= self.slow_after_ms):
            self.told = True
            self.on_slow()


_NOBODY = (QLocalSocket.LocalSocketError.ConnectionRefusedError,
           QLocalSocket.LocalSocketError.ServerNotFoundError)


def _absent_or_stuck(error: QLocalSocket.LocalSocketError) -> Forward:
    """A refused connection or no socket means nobody listens; anything else (a
    full backlog, a timeout) means an owner that is there but busy."""
    return Forward.NO_INSTANCE if error in _NOBODY else Forward.NOT_ANSWERING


def _someone_listens(name: str) -> bool:
    probe = QLocalSocket()
    try:
        probe.connectToServer(name)
        if probe.waitForConnected(500):
            return True
        return probe.error() not in _NOBODY
    finally:
        probe.abort()


class SingleInstance(QObject):
    """Forward to a running instance, or become the one that listens."""

    message_received = Signal(dict)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytearray] = {}

    @property
    def name(self) -> str:
        return self._name

    def try_forward(self, message: dict[str, Any], timeout_ms: int = 1000) -> bool:
        """True when a running instance acknowledged the message within ``timeout_ms``."""
        return self.forward(message, patience_ms=timeout_ms) is Forward.DELIVERED

    def forward(self, message: dict[str, Any], *, patience_ms: int = 20_000,
                slow_after_ms: int | None = None,
                on_slow: Callable[[], None] | None = None) -> Forward:
        """Hand ``message`` to the running instance, if there is one.

        The message is written once; a slow owner is waited for on the same
        connection (never sent again, so ``--dial`` cannot ring twice). After
        ``slow_after_ms`` without an answer ``on_slow`` is called once (to tell
        the user), and after ``patience_ms`` the result is NOT_ANSWERING.
        With a QCoreApplication it waits in a local event loop, so a server in
        the same thread keeps working; without one it uses Qt's blocking waits.
        """
        payload = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        socket = QLocalSocket()
        waits = _Waits(patience_ms, slow_after_ms, on_slow)
        try:
            if QCoreApplication.instance() is None:
                return self._forward_blocking(socket, payload, waits)
            return self._forward_in_event_loop(socket, payload, waits)
        finally:
            socket.abort()

    def _forward_blocking(self, socket: QLocalSocket, payload: bytes, waits: _Waits) -> Forward:
        socket.connectToServer(self._name)
        if not socket.waitForConnected(min(waits.patience_ms, 1000)):
            return _absent_or_stuck(socket.error())
        socket.write(payload)
        socket.waitForBytesWritten(min(waits.patience_ms, 1000))
        reply = bytearray()
        started = time.monotonic()
        while len(reply) < len(ACK):
            elapsed_ms = (time.monotonic() - started) * 1000
            if elapsed_ms >= waits.patience_ms:
                break
            waits.maybe_slow(elapsed_ms)
            slice_ms = int(min(200, waits.patience_ms - elapsed_ms)) + 1
            socket.waitForReadyRead(slice_ms)
            reply += socket.readAll().data()  # the server may close right after acking
            if socket.state() == QLocalSocket.LocalSocketState.UnconnectedState:
                reply += socket.readAll().data()
                break
        return Forward.DELIVERED if bytes(reply[: len(ACK)]) == ACK else Forward.NOT_ANSWERING

    def _forward_in_event_loop(
        self, socket: QLocalSocket, payload: bytes, waits: _Waits
    ) -> Forward:
        loop = QEventLoop()
        reply = bytearray()
        connected: list[bool] = []
        errors: list[QLocalSocket.LocalSocketError] = []

        def on_connected() -> None:
            connected.append(True)
            socket.write(payload)

        def on_ready_read() -> None:
            reply.extend(socket.readAll().data())
            if len(reply) >= len(ACK):
                loop.quit()

        def on_error(error: QLocalSocket.LocalSocketError) -> None:
            errors.append(error)
            loop.quit()

        socket.connected.connect(on_connected)
        socket.readyRead.connect(on_ready_read)
        socket.disconnected.connect(loop.quit)
        socket.errorOccurred.connect(on_error)
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(waits.patience_ms)
        slow = QTimer()
        slow.setSingleShot(True)
        slow.timeout.connect(lambda: waits.maybe_slow(float("inf")))
        if waits.slow_after_ms is not None:
            slow.start(waits.slow_after_ms)
        socket.connectToServer(self._name)
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            loop.exec()
        timer.stop()
        slow.stop()
        if socket.isOpen():  # reading a never-connected socket only logs a Qt warning
            reply.extend(socket.readAll().data())
        if bytes(reply[: len(ACK)]) == ACK:
            return Forward.DELIVERED
        if not connected:
            return _absent_or_stuck(errors[0] if errors else socket.error())
        return Forward.NOT_ANSWERING

    def listen(self) -> None:
        """Start serving. A socket file is removed first only when nobody listens on
        it (left by a crashed instance); a slow owner keeps its role."""
        if self._server is not None:
            return
        if _someone_listens(self._name):
            raise InstanceRunning(
                "another Agent Companion window of this profile is running")
        QLocalServer.removeServer(self._name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            raise RuntimeError(f"cannot listen on {self._name}: {server.errorString()}")
        server.newConnection.connect(self._accept)
        self._server = server

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for socket in list(self._buffers):
            socket.abort()
        self._buffers.clear()

    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            self._buffers[socket] = bytearray()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        buffer = self._buffers.get(socket)
        if buffer is None:
            return
        buffer += socket.readAll().data()
        if b"\n" not in buffer:
            if len(buffer) > MAX_MESSAGE_BYTES:
                log.warning("single instance: message too long, dropped")
                self._finish(socket, ack=False)
            return
        line = bytes(buffer).split(b"\n", 1)[0]
        message = self._parse(line)
        self._finish(socket, ack=message is not None)
        if message is not None:
            self.message_received.emit(message)

    def _finish(self, socket: QLocalSocket, *, ack: bool) -> None:
        self._buffers.pop(socket, None)
        if ack:
            socket.write(ACK)
            socket.flush()
        socket.disconnectFromServer()

    @staticmethod
    def _parse(line: bytes) -> dict[str, Any] | None:
        try:
            message = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            log.warning("single instance: ignored a malformed message")
            return None
        if not isinstance(message, dict):
            log.warning("single instance: ignored a message that is not an object")
            return None
        return message
