"""NATS authorization blocks for the relay and for each agent (docs/relay.md, Security).

An agent may create and read only its own durable consumers, one set per
desktop slot (the consumer name *and* filter subject are in the API subject,
so the server refuses any other filter), acknowledge on them, and receive on
its own inbox prefix.
It may not publish to any event subject, nor subscribe to one directly.
"""

from __future__ import annotations

from typing import Any

from agentapp.services.event_source_subjects import (
    DESKTOP_SLOTS,
    desk_filters,
    inbox_prefix,
    stream_name,
    stream_subjects,
)


def agent_permissions(account: str, ext: str, dids: tuple[str, ...] = ()) -> dict[str, Any]:
    stream = stream_name(account)
    publish: list[str] = []
    filters = [f for slot in range(1, DESKTOP_SLOTS + 1)
               for f in desk_filters(account, ext, dids, slot)]
    for f in filters:
        publish += [
            f"$JS.API.CONSUMER.CREATE.{stream}.{f.consumer}.{f.subject}",
            f"$JS.API.CONSUMER.INFO.{stream}.{f.consumer}",
            f"$JS.API.CONSUMER.MSG.NEXT.{stream}.{f.consumer}",
            f"$JS.ACK.{stream}.{f.consumer}.>",
        ]
    return {"publish": {"allow": publish},
            "subscribe": {"allow": [f"{inbox_prefix(account, ext)}.>"]}}


def relay_permissions(account: str) -> dict[str, Any]:
    stream = stream_name(account)
    return {
        "publish": {"allow": [
            stream_subjects(account),
            f"$JS.API.STREAM.CREATE.{stream}", f"$JS.API.STREAM.UPDATE.{stream}",
            f"$JS.API.STREAM.INFO.{stream}",
        ]},
        "subscribe": {"allow": ["_INBOX.>"]},
    }
