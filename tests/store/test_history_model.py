"""The history model over 100,000 stored calls: pages on demand, any row reachable, sorted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agentapp.qt.history_model import (
    DISPOSITION_COLUMN,
    PAGE,
    RECENT_COLUMNS,
    HistoryTableModel,
)
from agentapp.store import open_store
from agentapp.store.calls_repo import HistoryFilter
from agentapp.ui.recent_calls import KEY_ROLE, NUMBER_ROLE
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until
from tests.store.store_support import T0, call

N = 100_000


@pytest.mark.timeout(300)
def test_pages_on_demand_over_100k_rows(qloop: QtLoop, tmp_path: Path) -> None:
    async def scenario() -> None:
        store = await open_store(tmp_path / "big.sqlite3")
        try:
            rows = [call(str(i), f"09{800000000 + i % 5000}", started_at=T0 - i,
                         duration_s=i % 600, outcome="answered" if i % 3 else "missed")
                    for i in range(N)]
            for start in range(0, N, 20_000):
                await store.calls.upsert(rows[start:start + 20_000])
            model = HistoryTableModel()
            model.set_store(store)
            await model.loaded.wait()
            assert model.rowCount() == N
            # The first page came with the count; a far row is fetched when asked for.
            assert model.data(model.index(0, 0)) != "…"
            assert model.row_at(0).call.record_id == "0"  # type: ignore[union-attr]
            changed: list[int] = []
            model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
            assert model.data(model.index(N - 1, 0)) == "…"
            await wait_until(lambda: model.row_at(N - 1) is not None, 10, "the last page")
            assert model.row_at(N - 1).call.record_id == str(N - 1)  # type: ignore[union-attr]
            assert changed == [(N - 1) // PAGE * PAGE]
            # Asking again while loaded does not fetch again.
            model.data(model.index(N - 2, 0))
            assert changed == [(N - 1) // PAGE * PAGE]

            model.sort(5, Qt.SortOrder.AscendingOrder)  # duration
            await model.loaded.wait()
            first = [model.row_at(r).call.duration_s for r in range(PAGE)]  # type: ignore[union-attr]
            assert first == sorted(first) and first[0] == 0

            model.set_filter(HistoryFilter(answered=False))
            await model.loaded.wait()
            assert model.rowCount() == len([i for i in range(N) if i % 3 == 0])
        finally:
            await store.aclose()

    qloop.run(scenario(), timeout=240)


def test_recent_view_limit_extension_hold_and_lent_disposition_words(
        qloop: QtLoop, tmp_path: Path) -> None:
    """Recent calls' model: this agent's latest calls only; a reload waits while held
    and never empties the table in between; the history model's local words show."""

    async def scenario() -> None:
        store = await open_store(tmp_path / "recent.sqlite3")
        try:
            await store.calls.upsert(
                [call(str(i), f"09{800000000 + i}", started_at=T0 - i,
                      ext_no="2101" if i % 2 else "2102") for i in range(200)])
            base = HistoryTableModel()
            recent = HistoryTableModel(columns=RECENT_COLUMNS, base=base)
            recent.set_limit(50)
            recent.set_store(store, HistoryFilter(ext_no="2101"))
            await recent.loaded.wait()
            assert recent.rowCount() == 50
            ids = [recent.row_at(r).call.record_id for r in range(50)]  # type: ignore[union-attr]
            assert ids == [str(i) for i in range(1, 100, 2)]  # newest first, 2101's only

            resets: list[int] = []
            recent.modelAboutToBeReset.connect(lambda: resets.append(recent.rowCount()))
            recent.hold(True)
            await store.calls.upsert([call("new", "09811111111", started_at=T0 + 5,
                                          ext_no="2101")])
            recent.reload()
            await wait_until(lambda: recent.reload_waiting, 10, "the held reload")
            assert resets == [] and recent.rowCount() == 50  # nothing moved, nothing emptied
            assert recent.row_at(0).call.record_id == "1"  # type: ignore[union-attr]
            recent.hold(False)
            assert resets == [50]  # one reset, straight from the old rows to the new
            assert recent.row_at(0).call.record_id == "new"  # type: ignore[union-attr]
            assert recent.data(recent.index(0, 0), KEY_ROLE) == "call/new"
            assert recent.data(recent.index(0, 0), NUMBER_ROLE) == "+919811111111"

            column = RECENT_COLUMNS.index("disposition")
            assert recent.data(recent.index(0, column)) == ""
            redrawn: list[int] = []
            recent.dataChanged.connect(lambda top, _bottom: redrawn.append(top.column()))
            base.set_store(store)  # issue 10 redraws the history model's column when
            await base.loaded.wait()  # a local state changes: Recent calls follows
            base.local_disposition = lambda c: "saved here" if c.record_id == "new" else ""
            base.dataChanged.emit(base.index(0, DISPOSITION_COLUMN),
                                  base.index(0, DISPOSITION_COLUMN))
            assert redrawn == [column]
            assert recent.data(recent.index(0, column)) == "saved here"
        finally:
            await store.aclose()

    qloop.run(scenario())


def test_history_view_keeps_the_selected_call_across_a_reload(qloop: QtLoop,
                                                              tmp_path: Path) -> None:
    async def scenario() -> None:
        from agentapp.qt.history_model import ContactHistoryModel
        from agentapp.ui.history_view import HistoryView

        store = await open_store(tmp_path / "view.sqlite3")
        view = HistoryView()
        try:
            await store.calls.upsert([call(str(i), started_at=T0 - i) for i in range(10)])
            model = HistoryTableModel()
            view.set_models(model, ContactHistoryModel())
            model.set_store(store)
            await model.loaded.wait()
            view.table.selectRow(3)
            await store.calls.upsert([call("newer", started_at=T0 + 60)])
            model.reload()
            await wait_until(lambda: model.loaded.is_set() and model.rowCount() == 11, 10,
                             "the reload")
            assert view.table.currentIndex().row() == 4  # moved down with its call
            assert model.row_at(4).call.record_id == "3"  # type: ignore[union-attr]
        finally:
            view.deleteLater()
            await store.aclose()

    qloop.run(scenario())
