"""The history model over 100,000 stored calls: pages on demand, any row reachable, sorted."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agentapp.qt.history_model import PAGE, HistoryTableModel
from agentapp.store import open_store
from agentapp.store.calls_repo import HistoryFilter
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
