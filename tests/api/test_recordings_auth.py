"""Recording downloads: anonymous first, Bearer only to the API's own host."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from agentapp import __version__
from agentapp.api.client import IvrClient, make_http_client
from agentapp.api.errors import ApiError, NotFoundError

TOKEN = "rec-secret-token"
AUDIO = b"RIFF" + b"\0" * 200_000
ClientFor = Callable[[str], IvrClient]  # base_url -> client over the shared AsyncClient


class RecordingHost:
    """A loopback server whose /private/ files need the Bearer token."""

    def __init__(self) -> None:
        self.auth_seen: list[str] = []
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def _file(self, request: web.Request) -> web.Response:
        header = request.headers.get("Authorization", "")
        self.auth_seen.append(header)
        if request.path.startswith("/private/") and header != f"Bearer {TOKEN}":
            return web.Response(status=401)
        if request.path.endswith("missing.wav"):
            return web.Response(status=404)
        return web.Response(body=AUDIO, content_type="audio/wav")

    async def __aenter__(self) -> RecordingHost:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()


def _run(scenario: Callable[[RecordingHost, ClientFor], Awaitable[None]]) -> None:
    asyncio.run(_with_host(scenario))


async def _with_host(
    scenario: Callable[[RecordingHost, ClientFor], Awaitable[None]],
) -> None:
    async with RecordingHost() as host, make_http_client(__version__) as http:
        await scenario(host, lambda base: IvrClient(base, TOKEN, http=http))


def test_same_host_gets_bearer_after_401(tmp_path: Path) -> None:
    progress: list[tuple[int, int | None]] = []

    async def scenario(host: RecordingHost, client_for: ClientFor) -> None:
        client = client_for(host.base_url)
        dest = tmp_path / "a.wav"
        await client.download_recording("/private/rec_1.wav", dest,
                                        lambda got, total: progress.append((got, total)))
        assert dest.read_bytes() == AUDIO
        assert host.auth_seen == ["", f"Bearer {TOKEN}"]

    _run(scenario)
    assert progress[-1] == (len(AUDIO), len(AUDIO))
    assert len(progress) > 1  # streamed in chunks


def test_other_host_never_gets_the_token(tmp_path: Path) -> None:
    async def scenario(host: RecordingHost, client_for: ClientFor) -> None:
        client = client_for("http://127.0.0.1:9")  # the API lives elsewhere
        with pytest.raises(ApiError) as caught:
            await client.download_recording(host.base_url + "/private/rec_2.wav",
                                            tmp_path / "b.wav")
        assert "refused access" in caught.value.user_message
        assert host.auth_seen == [""]
        await client.download_recording(host.base_url + "/public/rec_3.wav", tmp_path / "c.wav")
        assert host.auth_seen == ["", ""]

    _run(scenario)
    assert not (tmp_path / "b.wav").exists()
    assert (tmp_path / "c.wav").read_bytes() == AUDIO


def test_missing_recording_is_not_found_and_leaves_no_file(tmp_path: Path) -> None:
    async def scenario(host: RecordingHost, client_for: ClientFor) -> None:
        with pytest.raises(NotFoundError):
            await client_for(host.base_url).download_recording(
                "/public/missing.wav", tmp_path / "d.wav")

    _run(scenario)
    assert list(tmp_path.iterdir()) == []
