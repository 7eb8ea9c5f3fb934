"""``python -m agentapp.sandbox``: run the sandbox until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence

from .config import DEMO_TOKEN, SandboxConfig
from .server import SandboxServer


def parse_args(argv: Sequence[str] | None = None) -> SandboxConfig:
    parser = argparse.ArgumentParser(prog="python -m agentapp.sandbox",
                                     description="Headless IVR Solutions sandbox server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--speed", type=float, default=1.0, help="sim seconds per real second")
    parser.add_argument("--token", default=DEMO_TOKEN)
    parser.add_argument("--history", type=int, default=300)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-secret")
    parser.add_argument("--auth-failure", choices=("http405", "body401"), default="http405")
    parser.add_argument("--reject-plus-did", action="store_true")
    args = parser.parse_args(argv)
    config = SandboxConfig(
        host=args.host, port=args.port, seed=args.seed, speed=args.speed, token=args.token,
        history=args.history, webhook_url=args.webhook_url, webhook_secret=args.webhook_secret,
        auth_failure=args.auth_failure, reject_plus_did=args.reject_plus_did)
    try:
        config.validate()
    except ValueError as exc:
        parser.error(str(exc))
    return config


async def serve(config: SandboxConfig) -> None:
    server = SandboxServer(config)
    base_url = await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"Sandbox listening on {base_url}", flush=True)
    # The demo token is documented and non-secret; a custom token is never printed.
    shown = config.token if config.token == DEMO_TOKEN else "(custom token, not shown)"
    print(f"Demo token: {shown}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()
        print("Sandbox stopped", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
