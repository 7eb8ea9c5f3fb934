"""``python -m agentapp.sandbox.receiver``: print webhook deliveries (a demo helper).

With ``--secret`` it checks each delivery's signature and prints the verdict.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence

from aiohttp import web

from agentapp.core.signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify


def build_app(secret: str | None) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        body = await request.read()
        verdict = "unsigned"
        if secret:
            ok = verify(secret, body, request.headers.get(TIMESTAMP_HEADER),
                        request.headers.get(SIGNATURE_HEADER), now=time.time())
            verdict = "signature ok" if ok else "BAD SIGNATURE"
        try:
            shown = json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            shown = body.decode(errors="replace")
        print(f"[{verdict}] {shown}", flush=True)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/{tail:.*}", receive)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m agentapp.sandbox.receiver")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--secret", help="verify X-IVR-Signature with this key")
    args = parser.parse_args(argv)
    print(f"Receiving webhooks on http://{args.host}:{args.port}/", flush=True)
    web.run_app(build_app(args.secret), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
