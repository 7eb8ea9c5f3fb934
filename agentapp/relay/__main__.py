"""``agentapp-relay`` / ``python -m agentapp.relay``: run one relay until SIGINT/SIGTERM.

``agentapp-relay permissions --account A --ext 2101 [--did D]`` prints the
NATS authorization block for an agent (or ``--relay`` for the relay user).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Sequence

from agentapp.relay.config import (
    NATS_CREDS_ENV,
    PATH_TOKEN_ENV,
    WEBHOOK_SECRET_ENV,
    RelayConfig,
    secrets_from_env,
)
from agentapp.relay.permissions import agent_permissions, relay_permissions
from agentapp.relay.server import RelayServer


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="agentapp-relay",
        description="Receive an IVR Solutions account's webhook and publish each event "
                    "to NATS JetStream for the agents' desktops.",
        epilog=f"Secrets come from the environment only: {PATH_TOKEN_ENV} (the webhook "
               f"path; random when unset), {WEBHOOK_SECRET_ENV} (HMAC signing secret), "
               f"{NATS_CREDS_ENV} (user:password, token or .creds text).")
    p.add_argument("--listen", default="127.0.0.1:8090", metavar="HOST:PORT",
                   help="address to listen on (default 127.0.0.1:8090; port 0 = any free)")
    p.add_argument("--nats", action="append", metavar="URL",
                   help="NATS server URL; repeat (or comma-separate) for a cluster")
    p.add_argument("--nats-ca", default="", metavar="FILE",
                   help="PEM file of the CA that signed the NATS servers' TLS certificates "
                        "(default: the system's CAs)")
    p.add_argument("--account", metavar="NAME",
                   help="account name used in subjects (letters, digits, _ -)")
    p.add_argument("--public-url", default="", metavar="URL",
                   help="base URL the provider reaches (e.g. behind a TLS proxy)")
    p.add_argument("--replicas", type=int, default=1, help="stream replicas (3 in a cluster)")
    p.add_argument("--max-connections", type=int, default=512, metavar="N",
                   help="concurrent provider connections; more are reset (default 512, "
                        "keep well below the process's descriptor limit)")
    p.add_argument("--log-level", default="INFO")
    sub = p.add_subparsers(dest="command")
    perms = sub.add_parser("permissions", help="print a NATS authorization block")
    perms.add_argument("--account", dest="perm_account", required=True)
    who = perms.add_mutually_exclusive_group(required=True)
    who.add_argument("--ext", help="the agent's extension")
    who.add_argument("--relay", action="store_true", help="the relay's own user")
    perms.add_argument("--did", action="append", default=[], help="a DID line the agent takes")
    return p


def _split_listen(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("--listen must be HOST:PORT")
    return host.strip("[]"), int(port)


def config_from_args(ns: argparse.Namespace, env: dict[str, str]) -> RelayConfig:
    host, port = _split_listen(ns.listen)
    urls = tuple(u.strip() for arg in (ns.nats or ["nats://127.0.0.1:4222"])
                 for u in arg.split(",") if u.strip())
    if not ns.account:
        raise ValueError("--account is required")
    found = secrets_from_env(env)
    return RelayConfig(account=ns.account, nats_urls=urls, host=host, port=port,
                       public_url=ns.public_url, replicas=ns.replicas,
                       path_token=found["path_token"], webhook_secret=found["webhook_secret"],
                       nats_creds=found["nats_creds"], max_connections=ns.max_connections,
                       nats_ca_file=ns.nats_ca)


async def serve(config: RelayConfig, out: object = sys.stdout) -> None:
    server = RelayServer(config)
    base = await server.start()
    shown = server.webhook_url if not config.path_token else \
        f"{base}/hook/<{PATH_TOKEN_ENV}>"
    print(f"Relay listening on {base}", file=out, flush=True)  # type: ignore[call-overload]
    print(f"Webhook URL: {shown}", file=out, flush=True)  # type: ignore[call-overload]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    import os

    parser = build_parser()
    ns = parser.parse_args(argv)
    if ns.command == "permissions":
        block = relay_permissions(ns.perm_account) if ns.relay else \
            agent_permissions(ns.perm_account, ns.ext, tuple(ns.did))
        print(json.dumps({"permissions": block}, indent=2))
        return 0
    logging.basicConfig(level=ns.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = config_from_args(ns, dict(os.environ))
    except ValueError as exc:
        parser.error(str(exc))
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
