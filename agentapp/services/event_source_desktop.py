"""Which desktop this is, to the team relay: a stable id, and the consumer slot it holds.

Two desktops signed in with one extension (a desk PC and a laptop, or an agent
and a supervisor's screen) must each get every event, so each needs its own
durable consumers. The relay's permissions name every consumer an agent may
use exactly (``DESKTOP_SLOTS`` sets, ``desk_<ext>_<slot>``), so a desktop
claims a slot: it looks for the slot whose consumer carries its own id (the
consumer's description), else creates one in a free slot with the ``create``
action, which the server refuses when another desktop got there first.

The id is random, kept in the profile's data dir (``relay-desktop-id``): not
the host name (two profiles, cloned VMs or a re-imaged PC would collide), and
stable across restarts, so a desktop comes back to its own consumer and
replays what it missed. A desktop that is never started again loses its slot
when its consumers have been idle for ``inactive_threshold`` (the server
deletes them), so abandoned desktops do not pile up on the server.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentapp.services.event_source_subjects import DESKTOP_SLOTS, desk_filters

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js.client import JetStreamContext

DESKTOP_ID_FILE = "relay-desktop-id"
_ID_RE = re.compile(r"^[0-9a-f]{16,64}$")
_ALREADY_EXISTS = 10148  # JSConsumerAlreadyExists: "create" found another's consumer
DESCRIPTION_PREFIX = "agentapp desktop "


class NoFreeSlot(Exception):
    """Every desktop slot of this extension is held by another desktop."""

    def __init__(self, ext: str) -> None:
        super().__init__(f"all {DESKTOP_SLOTS} desktop places for extension {ext} on the "
                         "relay are in use by other desktops")


def load_desktop_id(directory: Path) -> str:
    """This installation's id (made and saved on first use). Blocking: call it off the loop."""
    path = directory / DESKTOP_ID_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if _ID_RE.fullmatch(text):
        return text
    new = secrets.token_hex(16)
    directory.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new + "\n", encoding="ascii")
    tmp.replace(path)
    return new


def description(desktop_id: str) -> str:
    return DESCRIPTION_PREFIX + desktop_id


async def claim_slot(nc: Client, js: JetStreamContext, stream: str, account: str, ext: str,
                     desktop_id: str, config: dict[str, Any]) -> int:
    """The slot whose consumer is ours, else a free one claimed atomically; ``NoFreeSlot``.

    ``config`` is the consumer config (as the API's JSON) without name and filter.
    """
    from nats.js.errors import NotFoundError

    mine = description(desktop_id)
    free: list[int] = []
    for slot in range(1, DESKTOP_SLOTS + 1):
        name = desk_filters(account, ext, slot=slot)[0].consumer
        try:
            info = await js.consumer_info(stream, name)
        except NotFoundError:
            free.append(slot)
            continue
        if info.config.description == mine:
            return slot
    for slot in free:
        if await _create(nc, stream, account, ext, slot, {**config, "description": mine}):
            return slot
    raise NoFreeSlot(ext)


async def _create(nc: Client, stream: str, account: str, ext: str, slot: int,
                  config: dict[str, Any]) -> bool:
    """Create the slot's extension consumer only if nobody has it (False if taken)."""
    desk = desk_filters(account, ext, slot=slot)[0]
    body = {"stream_name": stream, "action": "create",
            "config": {**config, "name": desk.consumer, "durable_name": desk.consumer,
                       "filter_subject": desk.subject}}
    answer = await nc.request(f"$JS.API.CONSUMER.CREATE.{stream}.{desk.consumer}.{desk.subject}",
                              json.dumps(body).encode(), timeout=5)
    reply = json.loads(answer.data)
    error = reply.get("error") if isinstance(reply, dict) else {"description": "bad reply"}
    if not error:
        return True
    if error.get("err_code") == _ALREADY_EXISTS:
        return False
    raise ConnectionError(f"consumer create refused: {error.get('description', error)}")
