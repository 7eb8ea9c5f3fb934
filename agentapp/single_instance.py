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
import warnings
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
        """True when a running instance acknowledged the message (caller then exits).

        With a QCoreApplication it waits in a local event loop, so a server in
        the same thread keeps working; without one it uses Qt's blocking waits.
        """
        payload = json.dumps(message, separators=(",", ":")).encode() + b"\n"
        socket = QLocalSocket()
        try:
            if QCoreApplication.instance() is None:
                return self._forward_blocking(socket, payload, timeout_ms) == ACK
            return self._forward_in_event_loop(socket, payload, timeout_ms) == ACK
        finally:
            socket.abort()

    def _forward_blocking(self, socket: QLocalSocket, payload: bytes, timeout_ms: int) -> bytes:
        socket.connectToServer(self._name)
        if not socket.waitForConnected(timeout_ms):
            return b""
        socket.write(payload)
        if not socket.waitForBytesWritten(timeout_ms):
            return b""
        reply = bytearray()
        while len(reply) < len(ACK):
            ready = socket.bytesAvailable() > 0 or socket.waitForReadyRead(timeout_ms)
            reply += socket.readAll().data()  # the server may close right after acking
            if not ready:
                break
        return bytes(reply)

    def _forward_in_event_loop(
        self, socket: QLocalSocket, payload: bytes, timeout_ms: int
    ) -> bytes:
        loop = QEventLoop()
        reply = bytearray()

        def on_ready_read() -> None:
            reply.extend(socket.readAll().data())
            if len(reply) >= len(ACK):
                loop.quit()

        socket.connected.connect(lambda: socket.write(payload))
        socket.readyRead.connect(on_ready_read)
        socket.disconnected.connect(loop.quit)
        socket.errorOccurred.connect(lambda _error: loop.quit())
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(timeout_ms)
        socket.connectToServer(self._name)
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            loop.exec()
        timer.stop()
        if socket.isOpen():  # reading a never-connected socket only logs a Qt warning
            reply.extend(socket.readAll().data())
        return bytes(reply)

    def listen(self) -> None:
        """Start serving; a socket file left by a crashed instance is removed first."""
        if self._server is not None:
            return
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
