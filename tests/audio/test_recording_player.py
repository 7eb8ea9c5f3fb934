"""Recording playback: sandbox MP3 over HTTP, disk cache, decode, the speaker, failures."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from agentapp import __version__
from agentapp.api.client import IvrClient, make_http_client
from agentapp.audio.cache import RecordingCache
from agentapp.audio.dsp import Level, measure
from agentapp.audio.recording_player import RecordingPlayer
from agentapp.audio.streams import InputMeterStream
from agentapp.sandbox.thread import SandboxThread
from tests.audio.test_check_on_device import until


def recording_rows(sandbox: SandboxThread) -> list[dict[str, Any]]:
    rows = sandbox.control("GET", "/v1/call_logs")["data"]
    return [r for r in rows if r["recording_url"] and int(r["call_duration"]) >= 8]


def with_client(sandbox: SandboxThread,
                body: Callable[[IvrClient], Awaitable[None]]) -> None:
    async def main() -> None:
        async with make_http_client(__version__) as http:
            await body(IvrClient(sandbox.base_url, sandbox.token, http=http))

    asyncio.run(main())


class NoDevices:
    """sounddevice as PortAudio reports a machine with no audio hardware."""

    class default:  # mirrors sounddevice.default
        device = (-1, -1)

    @staticmethod
    def query_devices(kind: str | None = None) -> list[dict[str, Any]]:
        if kind is not None:
            raise RuntimeError("Error querying device -1")
        return []

    @staticmethod
    def query_hostapis() -> list[dict[str, Any]]:
        return [{"name": "ALSA"}]


@pytest.mark.audio
def test_a_sandbox_recording_reaches_the_sink(sd: ModuleType, sandbox: SandboxThread,
                                              tmp_path: Path) -> None:
    row = recording_rows(sandbox)[0]

    async def body(client: IvrClient) -> None:
        loop = asyncio.get_running_loop()
        levels: list[Level] = []
        mic = InputMeterStream(sd, loop, device=None, samplerate=48000, channels=1,
                               on_block=lambda block: levels.append(measure(block)))
        player = RecordingPlayer(client.download_recording, RecordingCache(tmp_path),
                                 load=lambda: sd)
        await mic.start()
        try:
            assert await player.open(row["recording_url"]), player.message.value
            assert player.state.value == "ready"
            assert player.duration.value == pytest.approx(int(row["call_duration"]), abs=0.1)
            await until(lambda: len(levels) > 10, 10, "the monitor running")
            assert max(r.peak_dbfs for r in levels[-5:]) < -60  # silent before we play
            player.seek(player.duration.value - 2.5)
            assert player.position.value == pytest.approx(player.duration.value - 2.5, abs=0.05)
            played_from = len(levels)
            player.play()
            # Any block since play counts: a loaded machine may poll long after the sound.
            await until(lambda: any(r.rms_dbfs > -40 for r in levels[played_from:]), 10,
                        "the recording heard on the sink's monitor")
            await until(lambda: player.state.value == "ended", 10, "the end of the recording")
            assert player.position.value == pytest.approx(player.duration.value)
        finally:
            await player.close()
            await mic.stop()

    with_client(sandbox, body)


@pytest.mark.audio
def test_speed_keeps_position_and_runs_faster(sd: ModuleType, sandbox: SandboxThread,
                                              tmp_path: Path) -> None:
    row = recording_rows(sandbox)[0]

    async def body(client: IvrClient) -> None:
        player = RecordingPlayer(client.download_recording, RecordingCache(tmp_path),
                                 load=lambda: sd)
        try:
            assert await player.open(row["recording_url"])
            player.seek(2.0)
            await player.set_speed(2.0)
            assert player.speed.value == 2.0
            assert player.position.value == pytest.approx(2.0, abs=0.05)
            player.play()
            await until(lambda: player.position.value > 2.2, 10, "playing")
            start_pos, start = player.position.value, time.monotonic()
            await until(lambda: time.monotonic() - start > 1.0, 5, "a second")
            advanced = player.position.value - start_pos
            elapsed = time.monotonic() - start
            assert advanced / elapsed == pytest.approx(2.0, abs=0.5)
            player.pause()
            paused_at = player.position.value
            await asyncio.sleep(0.3)
            assert player.position.value == pytest.approx(paused_at, abs=0.01)
            assert player.state.value == "paused"
        finally:
            await player.close()

    with_client(sandbox, body)


def test_downloads_are_cached_and_reused(sandbox: SandboxThread, tmp_path: Path) -> None:
    url = recording_rows(sandbox)[0]["recording_url"]
    downloads: list[str] = []

    async def body(client: IvrClient) -> None:
        async def download(u: str, dest: Path) -> Path:
            downloads.append(u)
            return await client.download_recording(u, dest)

        cache = RecordingCache(tmp_path)
        player = RecordingPlayer(download, cache, load=lambda: NoDevices)  # type: ignore[arg-type,return-value]
        await player.open(url)  # no speaker here: fetched and decoded all the same
        assert player.message.value == "No speaker or headset found to play the recording on."
        assert player.state.value == "error"
        await player.open(url)
        assert downloads == [url]

    with_client(sandbox, body)
    assert [p.name for p in tmp_path.iterdir()] == [RecordingCache(tmp_path).path_for(url).name]


def test_a_missing_recording_is_a_clear_message(sandbox: SandboxThread, tmp_path: Path) -> None:
    url = recording_rows(sandbox)[0]["recording_url"].replace("/rec_", "/rec_99")

    async def body(client: IvrClient) -> None:
        player = RecordingPlayer(client.download_recording, RecordingCache(tmp_path),
                                 load=lambda: NoDevices)  # type: ignore[arg-type,return-value]
        assert not await player.open(url)
        assert player.state.value == "error"
        assert player.message.value == "This recording is not available."

    with_client(sandbox, body)
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_file_is_a_clear_message_and_is_not_kept(tmp_path: Path) -> None:
    def write_junk(dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"<html>not audio</html>" * 50)
        return dest

    async def junk(_url: str, dest: Path) -> Path:
        return await asyncio.to_thread(write_junk, dest)

    async def body() -> None:
        player = RecordingPlayer(junk, RecordingCache(tmp_path),
                                 load=lambda: NoDevices)  # type: ignore[arg-type,return-value]
        assert not await player.open("https://api.example/monitor/2026/01/01/rec_1.mp3")
        assert "damaged" in player.message.value

    asyncio.run(body())
    assert list(tmp_path.iterdir()) == []


def test_the_cache_evicts_least_recently_used_over_its_limit(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path, max_bytes=2500)
    paths = []
    for i in range(3):
        path = cache.path_for(f"https://x/rec_{i}.mp3")
        path.write_bytes(b"x" * 1000)
        paths.append(path)
    for i, path in enumerate(paths):  # explicit ages: no dependence on the clock's grain
        os.utime(path, ns=(10**9 * (i + 1), 10**9 * (i + 1)))
    os.utime(paths[0], ns=(10**10, 10**10))  # rec_0 used most recently
    removed = cache.evict()
    assert removed == [paths[1]]
    assert cache.lookup("https://x/rec_1.mp3") is None
    assert cache.lookup("https://x/rec_0.mp3") == paths[0]
    assert cache.path_for("https://x/a.wav?sig=1").suffix == ".wav"
