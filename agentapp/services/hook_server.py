"""A small HTTP/1.1 server for webhook deliveries: asyncio streams and h11, nothing else.

Why not aiohttp: the desktop app loads h11 anyway (httpx -> httpcore -> h11),
while importing ``aiohttp.web`` for one POST route cost ~14 MiB of idle RSS and
~0.25 s on the UI thread (issue 15, item 7). The team relay, a server process,
stays on aiohttp (``relay.listener``); both read deliveries with the same
checks (``delivery_checks``) and run under the same ``HookLimits``.

What it guarantees, per connection:

- beyond ``max_connections`` a new connection is aborted at once (``ConnectionCap``);
- the request head (at most ``MAX_HEAD`` bytes) must be complete within
  ``idle_timeout_s`` of connecting or of the last answer, else the connection
  is closed (slowloris, idle keep-alive);
- malformed HTTP (h11 ``RemoteProtocolError``) gets 400 (431 for an oversize
  head) and the connection is closed;
- keep-alive and pipelining for senders that read their answers; after an
  answer given before the whole body was read (404, 405, 413, 415, 408), the
  connection is closed: its write side at once, the rest of the body drained
  for at most ``body_timeout_s`` first, so the sender still reads the answer
  (a close with unread data would reset it);
- the handler's exceptions become 500, never reaching asyncio; no access log
  (the path is a secret) and no per-connection log records.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from http import HTTPStatus

import h11

from agentapp.services.delivery_checks import Answer, DeliveryRefused
from agentapp.services.hook_limits import ConnectionCap, HookLimits

log = logging.getLogger(__name__)

MAX_HEAD = 16 * 1024  # request line and headers together (h11's default)
_READ_SIZE = 64 * 1024


class HookRequest:
    """One h11 request as a ``delivery_checks.DeliveryRequest``; the body is read on demand."""

    def __init__(self, conn: h11.Connection, reader: asyncio.StreamReader,
                 head: h11.Request, write: Callable[[h11.Event], None]) -> None:
        self._conn = conn
        self._reader = reader
        self._write = write
        self.method = head.method.decode("ascii")
        # As sent, without the query (h11 allows only visible ASCII in the target).
        self.path = bytes(head.target).partition(b"?")[0].decode("ascii")
        self._headers: dict[str, str] = {}
        for name, value in head.headers:  # names come lower-cased
            self._headers.setdefault(name.decode("ascii"), value.decode("latin-1"))
        length = self._headers.get("content-length")
        chunked = "transfer-encoding" in self._headers  # h11 framed it by chunks
        self.content_length = int(length) if length is not None and not chunked else None
        # Both framings at once: read as chunked, then close (RFC 9112, 6.3).
        self.ambiguous = chunked and length is not None
        self._pending = b""
        self._ended = False

    def header(self, name: str) -> str | None:
        return self._headers.get(name.lower())

    async def read(self, n: int) -> bytes:
        if not self._pending and not self._ended:
            self._pending = await self._next_data()
        chunk, self._pending = self._pending[:n], self._pending[n:]
        return chunk

    async def _next_data(self) -> bytes:
        if self._conn.they_are_waiting_for_100_continue:
            self._write(h11.InformationalResponse(status_code=100, headers=[]))
        while True:
            try:
                event = self._conn.next_event()
            except h11.RemoteProtocolError:  # bad chunking, or closed mid-body
                raise DeliveryRefused(400, "malformed request") from None
            if event is h11.NEED_DATA:
                self._conn.receive_data(await self._reader.read(_READ_SIZE))
            elif isinstance(event, h11.Data):
                if event.data:
                    return bytes(event.data)
            else:  # EndOfMessage: nothing else can follow a body
                self._ended = True
                return b""


Handler = Callable[[HookRequest], Awaitable[Answer]]


class HookServer:
    """Serves ``handler`` on one listening socket under ``limits``."""

    def __init__(self, handler: Handler, limits: HookLimits) -> None:
        self._handler = handler
        self._limits = limits
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.cap = ConnectionCap(limits.max_connections)

    async def start(self, host: str, port: int) -> int:
        """Listen on ``host:port``; returns the port (chosen by the system when 0)."""
        sock = socket.create_server((host, port))
        try:
            loop = asyncio.get_running_loop()
            self._server = await loop.create_server(self.cap.wrap(self._protocol), sock=sock,
                                                    backlog=128)
        except BaseException:
            sock.close()
            raise
        return int(sock.getsockname()[1])

    async def stop(self) -> None:
        """Stop listening and drop every connection (an answer in flight is lost)."""
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await server.wait_closed()

    def _protocol(self) -> asyncio.BaseProtocol:
        reader = asyncio.StreamReader(limit=_READ_SIZE)
        return asyncio.StreamReaderProtocol(reader, self._connected)

    def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # A plain callback, so the task is known (and cancellable by stop) at once.
        connection = _Connection(self._handler, self._limits, reader, writer)
        task = asyncio.get_running_loop().create_task(connection.serve())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class _Connection:
    """One connection's request/answer cycles."""

    def __init__(self, handler: Handler, limits: HookLimits, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self._handler = handler
        self._limits = limits
        self._reader = reader
        self._writer = writer
        self._conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD)

    async def serve(self) -> None:
        done = False
        try:
            await self._cycles()
            done = True
        except (OSError, TimeoutError):  # reset by the sender, or it stopped reading
            pass
        except Exception:  # a bug here must not reach asyncio's handler once per request
            log.warning("webhook connection failed", exc_info=True)
        finally:
            if done:  # whatever is still buffered goes out first
                self._writer.close()
            else:  # also when stopped: a sender that does not read cannot hold us
                self._writer.transport.abort()

    async def _cycles(self) -> None:
        while True:
            try:
                async with asyncio.timeout(self._limits.idle_timeout_s):
                    head = await self._next_head()
            except TimeoutError:  # no complete head in time: slowloris, or idle
                return
            except h11.RemoteProtocolError as exc:
                await self._answer(Answer(exc.error_status_hint,
                                          {"ok": False, "error": "malformed request"}))
                return await self._close()
            if head is None:
                return  # the sender closed between requests
            request = HookRequest(self._conn, self._reader, head, self._write)
            answer = await self._handle(request)
            self._skip_received_body()
            await self._answer(answer, head_only=head.method == b"HEAD", close=request.ambiguous)
            if self._conn.our_state is not h11.DONE or self._conn.their_state is not h11.DONE:
                return await self._close()
            self._conn.start_next_cycle()

    async def _next_head(self) -> h11.Request | None:
        while True:
            event = self._conn.next_event()  # refuses a head still incomplete past MAX_HEAD
            if event is h11.NEED_DATA:
                self._conn.receive_data(await self._reader.read(MAX_HEAD))
            elif isinstance(event, h11.Request):
                return event
            else:  # ConnectionClosed (nothing else can come before a request)
                return None

    async def _handle(self, request: HookRequest) -> Answer:
        try:
            return await self._handler(request)
        except DeliveryRefused as exc:
            return Answer.refused(exc)
        except Exception:
            log.exception("webhook handler failed")
            return Answer(500, {"ok": False, "error": "internal error"})

    def _skip_received_body(self) -> None:
        """Consume what is left of an early-answered body if it has all arrived already.

        A 405 to a GET or a 404 to a small POST can then keep the connection;
        a body still on its way means closing it after the answer.
        """
        while self._conn.their_state is h11.SEND_BODY:
            try:
                event = self._conn.next_event()
            except h11.RemoteProtocolError:
                return
            if event is h11.NEED_DATA:
                return

    async def _answer(self, answer: Answer, *, head_only: bool = False,
                      close: bool = False) -> None:
        body = json.dumps(answer.body).encode()
        headers = [("Content-Type", "application/json; charset=utf-8"),
                   ("Content-Length", str(len(body))), *answer.headers]
        if close or self._conn.their_state is not h11.DONE:  # e.g. body unread: close after
            headers.append(("Connection", "close"))
        events: list[h11.Event] = [h11.Response(status_code=answer.status, headers=headers,
                                                reason=_reason(answer.status))]
        if not head_only:
            events.append(h11.Data(data=body))
        events.append(h11.EndOfMessage())
        # One write: separate small segments would wait for delayed ACKs (~40 ms each).
        self._writer.write(b"".join(self._conn.send(event) or b"" for event in events))
        async with asyncio.timeout(self._limits.body_timeout_s):
            await self._writer.drain()

    def _write(self, event: h11.Event) -> None:
        data = self._conn.send(event)
        if data:
            self._writer.write(data)

    async def _close(self) -> None:
        """Close after the answer: write side first, then drain what the sender still sends."""
        if self._writer.can_write_eof():
            self._writer.write_eof()
        with contextlib.suppress(TimeoutError, OSError):
            async with asyncio.timeout(self._limits.body_timeout_s):
                while await self._reader.read(_READ_SIZE):
                    pass
        self._writer.close()


def _reason(status: int) -> bytes:
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:  # a status Python does not name: the phrase is optional
        return b""
