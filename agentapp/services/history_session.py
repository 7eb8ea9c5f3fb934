"""The history side of a session: store, sync, screen-pops and their triggers, built together.

Qt-free; ``composition.build_session`` calls :func:`open_history` and the
session closes it. A store that cannot be opened (disk full, a file from a
newer version) is logged and the session runs without history and pops, so
nothing that is not working is shown.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentapp.api.client import IvrClient
from agentapp.core.call import CallEvent, CallTimeline, EventKind
from agentapp.services.history_sync import HistorySync, SyncSettings
from agentapp.services.screen_pop import ScreenPops
from agentapp.services.screen_pop_triggers import PopTriggers
from agentapp.store import Store, open_store, store_path

log = logging.getLogger(__name__)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@dataclass
class HistoryServices:
    store: Store
    sync: HistorySync
    pops: ScreenPops
    triggers: PopTriggers
    ext_no: str = ""  # the agent's extension (Recent calls shows this agent's calls)

    def on_event(self, event: CallEvent | None) -> None:
        """EventIntake.events: pops for incoming calls; sync soon after any call ends."""
        self.triggers.on_event(event)
        if event is not None and event.kind is EventKind.HANGUP:
            self.sync.poke()

    def call_changed(self, timeline: CallTimeline | None) -> None:
        """CallTracker.changed: pop our own calls, and sync soon after one ends."""
        self.triggers.on_timeline(timeline)
        if timeline is not None and not timeline.is_live:
            self.sync.poke()

    async def close(self) -> None:
        await self.sync.stop()
        await self.pops.aclose()
        await self.store.aclose()


async def open_history(
    client: IvrClient,
    *,
    profile: str,
    server: str,
    ext_no: str,
    backfill_days: int,
    incoming_trigger: Callable[[], str],
    clock: Callable[[], float] = time.time,
    fresh: bool = False,
) -> HistoryServices | None:
    """``fresh``: start from an empty store (the demo: its sandbox is new on every run)."""
    path = store_path(profile, server)
    try:
        if fresh:
            await asyncio.to_thread(remove_database, path)
        store = await open_store(path, clock=clock)
    except Exception:
        log.exception("call history store unavailable: running without history and pops")
        return None
    sync = HistorySync(client, store, settings=SyncSettings(backfill_days=backfill_days),
                       clock=clock)
    pops = ScreenPops(client, store)
    triggers = PopTriggers(pops, ext_no=lambda: ext_no, incoming=incoming_trigger)
    return HistoryServices(store, sync, pops, triggers, ext_no)
