"""``python -m agentapp.sandbox``: run the sandbox until SIGINT/SIGTERM (or print its OpenAPI)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Sequence

from .config import DEMO_TOKEN, SandboxConfig
from .server import SandboxServer

TOKEN_ENV = "IVR_SANDBOX_TOKEN"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m agentapp.sandbox", description="Headless IVR Solutions sandbox server",
        epilog=f"A custom token: prefer the environment variable {TOKEN_ENV} (argv is visible "
               "to every local user in ps); --token wins when both are given.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = any free port")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--speed", type=float, default=1.0, help="sim seconds per real second")
    parser.add_argument("--token", default=None,
                        help=f"custom API token (visible in ps: prefer {TOKEN_ENV}); "
                             f"default: the demo token {DEMO_TOKEN}")
    parser.add_argument("--history", type=int, default=300)
    parser.add_argument("--webhook-url")
    parser.add_argument("--webhook-secret")
    parser.add_argument("--auth-failure", choices=("http405", "body401"), default="http405")
    plus = parser.add_mutually_exclusive_group()
    plus.add_argument("--accept-plus-did", action="store_true",
                      help="accept +91 DIDs on c2c_get/c2c_post (the live API answers "
                           "'Did No. Invalid')")
    plus.add_argument("--reject-plus-did", action="store_true",
                      help="refuse +91 DIDs on c2c_get/c2c_post, as live (the default)")
    parser.add_argument("--openapi", action="store_true",
                        help="print the OpenAPI 3.1 document (JSON) and exit")
    return parser


def config_from(args: argparse.Namespace, parser: argparse.ArgumentParser) -> SandboxConfig:
    token = args.token or os.environ.get(TOKEN_ENV, "").strip() or DEMO_TOKEN
    config = SandboxConfig(
        host=args.host, port=args.port, seed=args.seed, speed=args.speed, token=token,
        history=args.history, webhook_url=args.webhook_url, webhook_secret=args.webhook_secret,
        auth_failure=args.auth_failure, reject_plus_did=not args.accept_plus_did)
    try:
        config.validate()
    except ValueError as exc:
        parser.error(str(exc))
    return config


def parse_args(argv: Sequence[str] | None = None) -> SandboxConfig:
    parser = build_parser()
    return config_from(parser.parse_args(argv), parser)


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


async def _openapi(config: SandboxConfig) -> str:
    from .openapi import build_openapi

    return json.dumps(await build_openapi(config.seed), indent=2, ensure_ascii=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    config = config_from(args, parser)
    if args.openapi:
        print(asyncio.run(_openapi(config)))
        return 0
    asyncio.run(serve(config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
