"""The history's "today" is the session clock's day in the session clock's zone.

The clock is pinned at 23:30 local on a fixed day in the zones furthest from
UTC either way (Etc/GMT-12 is UTC+12, Etc/GMT+12 is UTC-12), given as fixed
offsets: neither the machine's clock nor its TZ (nor its tz database) plays a
part. A call 20 minutes before "now" counts, one 10 minutes before the day
began does not, and neither does the first call of the next day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QDate

from agentapp.api.client import IvrClient
from agentapp.composition import SessionClock
from agentapp.qt.history_facade import HistoryFacade
from agentapp.services.history_session import HistoryServices
from agentapp.services.history_sync import LAST_SYNCED, HistorySync
from agentapp.services.screen_pop import ScreenPops
from agentapp.services.screen_pop_triggers import PopTriggers
from agentapp.store import open_store
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until
from tests.store.store_support import call

DAY = date(2026, 3, 11)
EXT = "2101"
ZONES = [pytest.param(timezone(timedelta(hours=12)), id="Etc/GMT-12"),
         pytest.param(timezone(timedelta(hours=-12)), id="Etc/GMT+12")]


def at(zone: tzinfo, day: date, hour: int, minute: int) -> int:
    return int(datetime.combine(day, time(hour, minute), zone).timestamp())


@pytest.mark.parametrize("zone", ZONES)
def test_today_counts_the_local_day_of_the_injected_clock(
        qloop: QtLoop, tmp_path: Path, zone: tzinfo) -> None:
    now = at(zone, DAY, 23, 30)
    clock = SessionClock(wall=lambda: now, zone=zone)
    day_before, day_after = DAY - timedelta(days=1), DAY + timedelta(days=1)
    calls = [
        call("yesterday-late", started_at=at(zone, day_before, 23, 50), direction="outbound",
             kind="outgoing", duration_s=40, ext_no=EXT),
        # In both zones on an earlier UTC date than "now": only the local day counts it.
        call("today-first", started_at=at(zone, DAY, 0, 5), direction="outbound",
             kind="outgoing", duration_s=60, disposition="Interested", ext_no=EXT),
        call("today-missed", started_at=at(zone, DAY, 12, 0), outcome="missed",
             duration_s=0, ext_no=EXT),
        call("today-late", started_at=at(zone, DAY, 23, 10), duration_s=30, ext_no=EXT),
        call("tomorrow-early", started_at=at(zone, day_after, 0, 10), ext_no=EXT),
        call("other-agent", started_at=at(zone, DAY, 10, 0), ext_no="2102"),
    ]

    async def scenario() -> None:
        store = await open_store(tmp_path / "calls.sqlite3", clock=lambda: now)
        http = httpx.AsyncClient()
        facade = HistoryFacade(now=clock.zoned_now)
        try:
            await store.calls.upsert(calls)
            await store.sync.set({LAST_SYNCED: str(at(zone, DAY, 22, 5))})
            # Never called: nothing here syncs, the client only completes the services.
            client = IvrClient("http://127.0.0.1:9", "unused", http=http)
            pops = ScreenPops(client, store)
            history = HistoryServices(store, HistorySync(client, store, clock=lambda: now),
                                      pops, PopTriggers(pops, ext_no=lambda: EXT,
                                                        incoming=lambda: "off"), EXT)
            facade.bind(history)
            view = facade.open()
            # This agent's calls on the local DAY: 1 made, 2 received, 2 answered (60 s +
            # 30 s), one of them without a disposition.
            await wait_until(lambda: view.today.text() != "Today: no calls yet.", 10,
                             "the today line")
            assert view.today.text() == ("Today: 1 made · 2 received · 2 answered · "
                                         "talk time 1:30 · 1 disposition pending")
            assert view.date_to.date() == QDate(DAY.year, DAY.month, DAY.day)
            await wait_until(lambda: view.sync_status.text() == "Last synced 22:05", 10,
                             "the sync time, as today's")

            # The date filter: DAY to DAY is the local DAY, every agent's calls.
            view.date_from.setDate(view.date_to.date())
            view.use_dates.setChecked(True)
            model = facade.model
            await wait_until(lambda: model.loaded.is_set() and model.rowCount() == 4, 10,
                             "the day's calls")
            await wait_until(lambda: all(model.row_at(r) for r in range(4)), 10, "rows")
            shown = {model.row_at(r).call.record_id for r in range(4)}  # type: ignore[union-attr]
            assert shown == {"today-first", "today-missed", "today-late", "other-agent"}
            view.close()
        finally:
            facade.bind(None)
            await http.aclose()
            await store.aclose()
    qloop.run(scenario())
