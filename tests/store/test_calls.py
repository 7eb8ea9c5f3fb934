"""Calls in the store: de-duplication, one contact per number however written, queries."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agentapp.store import ContactRow, number_key
from agentapp.store.calls_repo import HistoryFilter, HistoryQuery
from agentapp.store.dispositions_repo import Draft
from tests.store.store_support import T0, call, opened


def test_number_forms_are_one_key() -> None:
    forms = ["09876543210", "+919876543210", "9876543210", "+91 98765 43210", "919876543210"]
    assert {number_key(f) for f in forms} == {"+919876543210"}
    assert number_key("12") == ""
    assert number_key("junk") == ""


@given(st.sampled_from(["0", "+91", "", "+91 ", "91"]), st.integers(6_000_000_000, 9_999_999_999))
def test_prefix_forms_merge(prefix: str, national: int) -> None:
    assert number_key(f"{prefix}{national}") == number_key(str(national))


def test_upsert_dedupes_and_merges_numbers(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            new = await store.calls.upsert(
                [call("1", "09876543210"), call("2", "+919876543210", started_at=T0 + 10),
                 call("3", "9876543210", started_at=T0 + 20), call("4", "09123456789")]
            )
            assert new == 4
            # The same records again (another endpoint, a late refresh): nothing new.
            assert await store.calls.upsert([call("1"), call("2", started_at=T0 + 10)]) == 0
            assert await store.calls.count() == 4
            history = await store.calls.for_number("+919876543210")
            assert [c.record_id for c in history] == ["3", "2", "1"]
            # Same record id in another namespace is another call.
            assert await store.calls.upsert([call("1", source="c2c", kind="c2c",
                                                  direction="outbound")]) == 1

    asyncio.run(scenario())


def test_refresh_updates_outcome_but_keeps_known_details(tmp_path: Path) -> None:
    """A late-ending call changes outcome/duration; an endpoint without a URL keeps ours."""

    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            await store.calls.upsert([call("9", outcome="", duration_s=0, recording_url="u",
                                           remark="Call after 6 pm")])
            await store.calls.upsert([call("9", outcome="answered", duration_s=95)])
            stored = await store.calls.get("call", "9")
            assert stored is not None
            assert (stored.outcome, stored.duration_s) == ("answered", 95)
            assert (stored.recording_url, stored.remark) == ("u", "Call after 6 pm")

    asyncio.run(scenario())


def test_counted_upsert_tells_new_changed_and_unchanged_apart(tmp_path: Path) -> None:
    """Views reload when a sync changed something: an identical re-read changes nothing."""

    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            first = await store.calls.upsert_counted([call("1"), call("2", outcome="")])
            assert (first.new, first.changed) == (2, 0)
            same = await store.calls.upsert_counted([call("1"), call("2", outcome="")])
            assert (same.new, same.changed) == (0, 0)
            # A late-ending call changes; an empty remark never overwrites a known one.
            later = await store.calls.upsert_counted([call("2", outcome="answered"),
                                                      call("3"), call("1", remark="")])
            assert (later.new, later.changed) == (1, 1)
            stored = await store.calls.get("call", "2")
            assert stored is not None and stored.outcome == "answered"

    asyncio.run(scenario())


def test_cursor_is_committed_with_its_calls(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            await store.calls.upsert([call("5")], state={"cursor.call": "5"})
            assert await store.sync.get("cursor.call") == "5"

    asyncio.run(scenario())


def test_history_filters_sort_and_paging(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            rows = [
                call("1", "09876543210", started_at=T0, outcome="answered", duration_s=60),
                call("2", "09123456789", started_at=T0 + 60, outcome="missed", duration_s=0),
                call("3", "09123456789", started_at=T0 + 120, kind="outgoing",
                     direction="outbound", did="918000000001"),
                call("4", "09876543210", source="c2c", kind="c2c", direction="outbound",
                     started_at=T0 + 180, duration_s=5),
            ]
            await store.calls.upsert(rows)
            await store.contacts.upsert([ContactRow("+919876543210", "Manish Joshi",
                                                    company="Sunrise Textiles")])

            async def ids(f: HistoryFilter, sort: str = "time", desc: bool = True) -> list[str]:
                page = await store.calls.history_page(HistoryQuery(f, sort, desc), 0, 50)
                assert await store.calls.history_count(f) == len(page)
                return [r.call.record_id for r in page]

            assert await ids(HistoryFilter()) == ["4", "3", "2", "1"]
            assert await ids(HistoryFilter(), desc=False) == ["1", "2", "3", "4"]
            assert await ids(HistoryFilter(kinds=frozenset({"incoming"}))) == ["2", "1"]
            assert await ids(HistoryFilter(answered=False)) == ["2"]
            assert await ids(HistoryFilter(start=T0 + 60, end=T0 + 180)) == ["3", "2"]
            assert await ids(HistoryFilter(did="918000000001")) == ["3"]
            assert await ids(HistoryFilter(text="manish")) == ["4", "1"]
            assert await ids(HistoryFilter(text="sunrise")) == ["4", "1"]
            assert await ids(HistoryFilter(text="91234")) == ["3", "2"]
            assert await ids(HistoryFilter(text="50%_")) == []
            assert await ids(HistoryFilter(), sort="duration") == ["1", "3", "4", "2"]
            page = await store.calls.history_page(HistoryQuery(), 1, 2)
            assert [r.call.record_id for r in page] == ["3", "2"]
            named = await store.calls.history_page(HistoryQuery(HistoryFilter(number=
                                                                              "+919876543210")),
                                                   0, 10)
            assert {r.name for r in named} == {"Manish Joshi"}

            summary = await store.calls.day_summary(T0, T0 + 86_400)
            assert (summary.made, summary.received, summary.answered) == (2, 2, 3)
            assert summary.talk_time_s == 60 + 30 + 5
            assert summary.pending == 3  # the three answered calls, none dispositioned

    asyncio.run(scenario())


def test_today_counts_one_agent_and_dispositions_pending(tmp_path: Path) -> None:
    """Pending: answered, no disposition on the server, none saved here (queued or sent);
    a draft still being edited does not count as done; masked calls take none."""

    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            await store.calls.upsert([
                call("1", ext_no="2101"), call("2", ext_no="2101"),
                call("3", ext_no="2101", disposition="Interested"),
                call("4", ext_no="2101", outcome="missed"),
                call("5", ext_no="2101", source="masked", kind="masked", direction="outbound"),
                call("6", ext_no="2101"), call("7", ext_no="2102"),
            ])
            await store.dispositions.commit(Draft("call", "1", "incoming", status_id=1))
            await store.dispositions.save_draft(Draft("call", "2", "incoming", status_id=1))
            mine = await store.calls.day_summary(T0, T0 + 86_400, "2101")
            assert (mine.received, mine.answered) == (5, 5)
            assert mine.pending == 2  # "2" (still editing) and "6"
            everyone = await store.calls.day_summary(T0, T0 + 86_400)
            assert everyone.pending == 3

    asyncio.run(scenario())


def test_contacts_by_number_and_search(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            await store.contacts.upsert([ContactRow(number_key("09876543210"), "Manish",
                                                    company="Sunrise", remote_id="c1")])
            # An edit without company keeps the company we knew.
            await store.contacts.upsert([ContactRow("+919876543210", "Manish Joshi")])
            got = await store.contacts.get(number_key("9876543210"))
            assert got is not None
            assert (got.name, got.company, got.remote_id) == ("Manish Joshi", "Sunrise", "c1")
            assert [c.name for c in await store.contacts.search("man")] == ["Manish Joshi"]
            assert [c.name for c in await store.contacts.search("43210")] == ["Manish Joshi"]
            assert await store.contacts.search("zed") == []
            await store.contacts.delete("+919876543210")
            assert await store.contacts.get("+919876543210") is None

    asyncio.run(scenario())


def test_same_call_rows_are_equal_after_roundtrip(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with opened(tmp_path / "s.sqlite3") as store:
            original = replace(call("77"), dtmf="2", campaign="", sip_call_id="abc@x")
            await store.calls.upsert([original])
            assert await store.calls.get("call", "77") == original

    asyncio.run(scenario())
