"""The desktop imports nats without aiohttp, and aiohttp stays importable afterwards."""

from __future__ import annotations

import subprocess
import sys

from agentapp.relay.natsd import NatsCluster

SCRIPT = """
import sys
from agentapp.services.nats_import import import_nats
nats = import_nats()
print("aiohttp" in sys.modules, callable(nats.connect), "aiohttp" in sys.modules)
import aiohttp  # hidden only while nats was imported
print(aiohttp.__name__)
"""


def test_nats_comes_without_aiohttp_and_aiohttp_still_imports() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["False", "True", "False", "aiohttp"]


def test_with_aiohttp_already_loaded_nats_is_the_usual_one() -> None:
    script = "import aiohttp\n" + SCRIPT
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["True", "True", "True", "aiohttp"]


def test_without_aiohttp_the_desktop_still_talks_to_jetstream(nats_single: NatsCluster) -> None:
    script = SCRIPT.split("import aiohttp")[0] + f"""
import asyncio
async def main():
    nc = await nats.connect({nats_single.urls!r}, connect_timeout=5)
    js = nc.jetstream(timeout=5)
    await js.add_stream(name="IMPORTCHECK", subjects=["importcheck.>"])
    ack = await js.publish("importcheck.one", b"hello")
    msg = await js.get_msg("IMPORTCHECK", ack.seq)
    await js.delete_stream("IMPORTCHECK")
    await nc.close()
    print(msg.data.decode(), "aiohttp" in sys.modules)
asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()
    assert out == ["False", "True", "False", "hello", "False"]
