"""Sandbox recordings: MP3 and WAV as long as the call, with HTTP Range."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
import soundfile

from agentapp.sandbox.handlers_recordings import byte_range
from agentapp.sandbox.recordings import MAX_SECONDS, RecordingCache, call_seconds, render
from agentapp.sandbox.thread import SandboxThread


def recorded_calls(sandbox: SandboxThread) -> list[dict[str, Any]]:
    rows = sandbox.control("GET", "/v1/call_logs")["data"]
    return [r for r in rows if r["recording_url"]]


def test_recordings_are_mp3_as_long_as_the_call(sandbox: SandboxThread) -> None:
    row = next(r for r in recorded_calls(sandbox) if int(r["call_duration"]) > 5)
    assert row["recording_url"].endswith(".mp3")
    response = httpx.get(row["recording_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["accept-ranges"] == "bytes"
    info = soundfile.info(io.BytesIO(response.content))
    assert info.samplerate == 8000
    assert info.duration == pytest.approx(int(row["call_duration"]), abs=0.1)
    wav = httpx.get(row["recording_url"].removesuffix(".mp3") + ".wav")
    assert wav.status_code == 200 and wav.content[:4] == b"RIFF"
    assert soundfile.info(io.BytesIO(wav.content)).duration == pytest.approx(
        int(row["call_duration"]), abs=0.01)


def test_range_requests_return_the_right_bytes(sandbox: SandboxThread) -> None:
    url = recorded_calls(sandbox)[0]["recording_url"]
    whole = httpx.get(url).content
    total = len(whole)
    part = httpx.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{total}"
    assert part.content == whole[100:200]
    tail = httpx.get(url, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == whole[-50:]
    rest = httpx.get(url, headers={"Range": f"bytes={total - 10}-"})
    assert rest.content == whole[-10:]
    beyond = httpx.get(url, headers={"Range": f"bytes={total}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{total}"
    junk = httpx.get(url, headers={"Range": "lines=1-2"})
    assert junk.status_code == 200 and junk.content == whole


def test_unknown_or_misdated_recordings_are_404(sandbox: SandboxThread) -> None:
    url = recorded_calls(sandbox)[0]["recording_url"]
    assert httpx.get(url.replace("/rec_", "/rec_9")).status_code == 404
    assert httpx.get(url.replace("/monitor/20", "/monitor/19")).status_code == 404
    assert httpx.get(url.removesuffix(".mp3") + ".ogg").status_code == 404


@pytest.mark.parametrize(("header", "total", "expected"), [
    ("bytes=0-0", 10, (0, 0)), ("bytes=5-100", 10, (5, 9)), ("bytes=-3", 10, (7, 9)),
    ("bytes=-30", 10, (0, 9)), ("bytes=0-1,4-5", 10, None), ("bytes=-", 10, None),
])
def test_byte_range_parsing(header: str, total: int, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, total) == expected


@pytest.mark.parametrize("header", ["bytes=10-", "bytes=5-2", "bytes=-0"])
def test_unsatisfiable_ranges(header: str) -> None:
    with pytest.raises(ValueError):
        byte_range(header, 10)


def test_rendering_is_deterministic_and_cached() -> None:
    assert render(42, 2, "mp3") == render(42, 2, "mp3")
    assert render(42, 2, "wav") != render(43, 2, "wav")
    cache = RecordingCache(max_bytes=100_000)
    first = cache.get(7, 2, "wav")
    assert cache.get(7, 2, "wav") is first and cache.renders == 1
    for rid in range(10):  # 32 kB each: the oldest are evicted to stay near the budget
        cache.get(100 + rid, 2, "wav")
    assert cache.renders == 11
    cache.get(7, 2, "wav")
    assert cache.renders == 12
    assert call_seconds(0) == 1 and call_seconds(10**6) == MAX_SECONDS
