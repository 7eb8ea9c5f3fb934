"""Team relay at call-centre scale, on loopback: ``python -m bench relay`` (opt-in, ~3 min).

N simulated desktops (``RelaySubscription``s, one NATS connection each, all
in this process) and a provider posting signed events at R/s for D seconds to
a relay running as its own process (``python -m agentapp.relay``), which
publishes to nats-server. Each event is for one desktop's extension.

Measured: webhook-to-desktop latency (first POST attempt to the desktop's
sink, p50/p95), events lost (accepted by the relay, never delivered), events
delivered twice to a sink (target 0), relay CPU seconds per 1,000 events
(/proc of the relay process), 503s. Run once on a single node, then on a
3-node cluster whose stream leader is killed halfway. The provider retries a
non-2xx answer every 0.2 s, as the sandbox and real providers do.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import nats

from agentapp.core.signature import signed_headers
from agentapp.relay.natsd import NatsCluster, free_port
from agentapp.services.event_source import SourcedEvent
from agentapp.services.event_source_subjects import stream_name
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget
from bench.stats import median, p95

ACCOUNT = "bench"
SECRET = "bench-signing-secret"
PATH_TOKEN = "bench-path-token-0123456789"
FIRST_EXT = 3000


@dataclass
class Result:
    scenario: str
    desktops: int
    sent: int
    accepted: int
    delivered: int
    lost: int
    twice: int
    redelivered: int
    p50_ms: float
    p95_ms: float
    relay_cpu_per_1000_s: float
    unavailable_answers: int
    seconds: float


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Relay:
    """The relay as a separate process, as deployed."""

    def __init__(self, urls: list[str], replicas: int) -> None:
        self.port = free_port()
        env = {**os.environ, "AGENTAPP_RELAY_PATH_TOKEN": PATH_TOKEN,
               "AGENTAPP_RELAY_WEBHOOK_SECRET": SECRET}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "agentapp.relay", "--listen", f"127.0.0.1:{self.port}",
             "--account", ACCOUNT, "--replicas", str(replicas), "--log-level", "ERROR",
             *[arg for url in urls for arg in ("--nats", url)]],
            env=env, stdout=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base}/hook/{PATH_TOKEN}"

    async def wait_ready(self, http: aiohttp.ClientSession, within_s: float = 30) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            try:
                async with http.get(self.base + "/healthz") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise RuntimeError("relay did not become ready")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def _scenario(name: str, cluster: NatsCluster, *, desktops: int, rate: float,
                    duration: float, kill_midway: bool) -> Result:
    urls = cluster.urls
    replicas = len(cluster.nodes)
    received: dict[str, float] = {}
    counts: Counter[str] = Counter()
    sent_at: dict[str, float] = {}

    def sink(event: SourcedEvent) -> None:
        counts[event.event_id] += 1
        received.setdefault(event.event_id, time.perf_counter())

    relay = Relay(urls, replicas)
    subs: list[RelaySubscription] = []
    unavailable = 0
    try:
        async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=200)) as http:
            await relay.wait_ready(http)
            for i in range(desktops):
                sub = RelaySubscription(RelayTarget(tuple(urls), ACCOUNT, str(FIRST_EXT + i)),
                                        sink, fetch_wait_s=10.0, backoff_s=(0.1, 2.0))
                subs.append(sub)
                await sub.start()
            await _wait(lambda: all(s.state.value == "connected" for s in subs), 120)
            cpu0 = _cpu_seconds(relay.proc.pid)
            total = int(rate * duration)
            limit = asyncio.Semaphore(300)

            async def provider(n: int) -> bool:
                nonlocal unavailable
                ext = str(FIRST_EXT + n % desktops)
                event_id = f"{100000 + n}-1"
                body = json.dumps({
                    "event": "ring", "event_id": event_id, "seq": 1, "logid": str(100000 + n),
                    "call_type": "incoming", "leg": "agent", "ext_no": ext,
                    "did_no": "+911143104567", "client_no": "9876543210"}).encode()
                async with limit:
                    sent_at[event_id] = time.perf_counter()
                    for _ in range(300):
                        headers = {"Content-Type": "application/json",
                                   **signed_headers(SECRET, int(time.time()), body)}
                        try:
                            async with http.post(relay.url, data=body, headers=headers) as a:
                                if 200 <= a.status < 300:
                                    return True
                                unavailable += a.status == 503
                        except aiohttp.ClientError:
                            pass
                        await asyncio.sleep(0.2)
                return False

            started = time.perf_counter()
            tasks: list[asyncio.Task[bool]] = []
            killed = False
            for n in range(total):
                due = started + n / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                if kill_midway and not killed and n >= total // 2:
                    killed = True
                    leader = await _stream_leader(urls)
                    victim = next(x for x in cluster.nodes if x.name == leader)
                    await asyncio.to_thread(victim.kill)
                tasks.append(asyncio.create_task(provider(n)))
            accepted = sum(await asyncio.gather(*tasks))
            await _wait(lambda: len(received) >= accepted, 30, fail=False)
            await asyncio.sleep(1.0)
            elapsed = time.perf_counter() - started
            cpu = _cpu_seconds(relay.proc.pid) - cpu0
            redelivered = sum(s.redelivered for s in subs)
    finally:
        for sub in subs:
            await sub.stop()
        relay.stop()
    latencies = [(received[i] - sent_at[i]) * 1000 for i in received if i in sent_at]
    return Result(name, desktops, total, accepted, len(received), accepted - len(received),
                  sum(1 for c in counts.values() if c > 1), redelivered, median(latencies),
                  p95(latencies), cpu / max(accepted, 1) * 1000, unavailable, elapsed)


async def _wait(predicate: Callable[[], bool], within_s: float, fail: bool = True) -> None:
    deadline = time.monotonic() + within_s
    while not predicate():
        if time.monotonic() > deadline:
            if fail:
                raise RuntimeError("bench setup timed out")
            return
        await asyncio.sleep(0.1)


async def _stream_leader(urls: list[str]) -> str:
    nc = await nats.connect(urls)
    try:
        info = await nc.jetstream().stream_info(stream_name(ACCOUNT))
        return str(info.cluster.leader) if info.cluster else ""
    finally:
        await nc.close()


def run(desktops: int = 500, rate: float = 200.0, duration: float = 60.0,
        scenarios: Sequence[str] = ("single", "cluster-kill")) -> list[Result]:
    results: list[Result] = []
    for name in scenarios:
        with tempfile.TemporaryDirectory(prefix="bench-relay-") as tmp:
            size = 3 if name == "cluster-kill" else 1
            with NatsCluster(Path(tmp), size=size) as cluster:
                results.append(asyncio.run(_scenario(
                    name, cluster, desktops=desktops, rate=rate, duration=duration,
                    kill_midway=name == "cluster-kill")))
    return results


def table(results: Sequence[Result]) -> str:
    head = ("scenario", "desktops", "sent", "accepted", "delivered", "lost", "twice", "redeliv",
            "p50 ms", "p95 ms", "relay CPU s/1000", "503s", "took s")
    rows = [head] + [(r.scenario, str(r.desktops), str(r.sent), str(r.accepted),
                      str(r.delivered), str(r.lost), str(r.twice), str(r.redelivered),
                      f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}", f"{r.relay_cpu_per_1000_s:.2f}",
                      str(r.unavailable_answers), f"{r.seconds:.0f}") for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                     for row in rows)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.relay", description=__doc__)
    p.add_argument("--desktops", type=int, default=500)
    p.add_argument("--rate", type=float, default=200.0, help="events per second")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    p.add_argument("--scenario", action="append", choices=("single", "cluster-kill"))
    args = p.parse_args(argv)
    results = run(args.desktops, args.rate, args.duration,
                  args.scenario or ("single", "cluster-kill"))
    print(table(results))
    return 0 if all(r.lost == 0 and r.twice == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
