"""The app's disposition stack (store + IvrClient + outbox) in its own process, driven by stdin.

Used by the kill tests and the reliability harness: they SIGKILL this process
at any moment and start it again on the same database file, exactly as a
crashed app restarts. It is the production code path (``open_store``,
``IvrClient``, ``DispositionOutbox``, ``Dispositions``) without the window.

Protocol: one JSON object per line in, one per line out.

- in ``{"op":"save","source","record_id","call_type","number","status","remark"}``
  -> out ``{"event":"saved","record_id":…,"seq":N}`` once the item is committed
- in ``{"op":"draft",…,"status"?,"remark"}`` -> ``{"event":"drafted","record_id":…}`` once written
- in ``{"op":"state","source","record_id"}`` -> ``{"event":"state","record_id":…,"state":…,
  "remark":…}``
- in ``{"op":"drain"}`` -> ``{"event":"drained","pending":0,"failed":F}`` once nothing is
  pending (it waits as long as that takes)
- out ``{"event":"ready","pending":P}`` at start (after the queue from earlier runs resumed)

The token comes from ``DISPOSITION_WORKER_TOKEN`` (never argv).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from agentapp import __version__
from agentapp.api.client import IvrClient, make_http_client
from agentapp.services.disposition_outbox import Backoff, DispositionOutbox
from agentapp.services.dispositions import CallRef, Dispositions
from agentapp.store import open_store

TOKEN_ENV = "DISPOSITION_WORKER_TOKEN"


def _out(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


async def _handle(line: str, dispositions: Dispositions, outbox: DispositionOutbox) -> None:
    msg = json.loads(line)
    op = msg.get("op")
    if op == "save":
        ref = CallRef(msg["source"], msg["record_id"], msg["call_type"],
                      number=msg.get("number", ""), sip_call_id=msg.get("sip_call_id", ""))
        seq = await dispositions.save(ref, int(msg["status"]), msg.get("remark", ""))
        _out({"event": "saved", "record_id": ref.record_id, "seq": seq})
    elif op == "draft":  # what the form writes as the agent types
        ref = CallRef(msg["source"], msg["record_id"], msg["call_type"],
                      number=msg.get("number", ""))
        await dispositions.save_draft(ref, msg.get("status"), msg.get("remark", ""))
        _out({"event": "drafted", "record_id": ref.record_id})
    elif op == "state":
        ref = CallRef(msg["source"], msg["record_id"], "")
        state, reason = await dispositions.state(ref)
        draft = await dispositions.draft(ref)
        _out({"event": "state", "record_id": msg["record_id"], "state": state,
              "reason": reason, "remark": draft.remark if draft else ""})
    elif op == "drain":
        while (counts := await outbox.refresh_counts()).pending:
            outbox.wake()
            await asyncio.sleep(0.05)
        _out({"event": "drained", "pending": counts.pending, "failed": counts.failed})


async def run(base_url: str, db: Path, backoff: Backoff) -> None:
    http = make_http_client(__version__, timeout=5.0)
    client = IvrClient(base_url, os.environ[TOKEN_ENV], http=http, retries=0)
    store = await open_store(db)
    outbox = DispositionOutbox(client, store.dispositions, backoff=backoff)
    dispositions = Dispositions(client, store, outbox)
    await dispositions.start()
    _out({"event": "ready", "pending": (await outbox.refresh_counts()).pending})
    try:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            if line.strip():
                await _handle(line, dispositions, outbox)
    finally:
        await dispositions.stop()
        await store.aclose()
        await http.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.disposition_worker")
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--backoff", type=float, default=2.0, help="first retry delay, s")
    parser.add_argument("--backoff-cap", type=float, default=300.0)
    args = parser.parse_args()
    asyncio.run(run(args.base_url, args.db, Backoff(args.backoff, args.backoff_cap)))


if __name__ == "__main__":
    main()
