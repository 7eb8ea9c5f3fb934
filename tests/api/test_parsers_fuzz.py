"""Property tests: every parser, fed random or damaged JSON, returns a typed
result or raises MalformedResponseError, and nothing else."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentapp.api import parse_account as pa
from agentapp.api import parse_logs as pl
from agentapp.api.errors import MalformedResponseError
from agentapp.api.models import SyncCursors

TODAY = date(2026, 1, 1)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "0", "1", "200", "active", "2024-12-15 10:30:45", "0000-00-00", "+91"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)

KNOWN_KEYS = [
    "status", "message", "data", "dids", "exts", "logid", "recordid", "id", "did_no", "client_no",
    "call_time", "call_duration", "call_type", "call_status", "state", "name", "number", "ext",
    "ext_no", "did_number", "expiry_date", "call_logs", "click_to_call_logs", "dialer_logs",
    "outgoing_ext", "attended_by", "customer_no", "live_calls", "total_calls", "last_call_time",
    "agent_status", "phone", "type", "region",
]
# Objects built from the keys the parsers read, so the fuzzing reaches deep branches.
shaped = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(KNOWN_KEYS), inner, max_size=8),
    ),
    max_leaves=30,
)
bodies = st.one_of(json_values, shaped)

PARSERS: dict[str, Callable[[Any], object]] = {
    "call_logs": lambda b: pl.parse_record_list(b, pl.parse_call_log_record),
    "c2c_logs": lambda b: pl.parse_record_list(b, pl.parse_c2c_log_record),
    "dialer_logs": lambda b: pl.parse_record_list(b, pl.parse_dialer_log_record),
    "sync": lambda b: pl.parse_sync_batch(b, SyncCursors()),
    "call_state": pl.parse_call_state,
    "dispositions": pl.parse_dispositions,
    "account": pa.parse_account,
    "message": pa.parse_message,
    "call_started": pa.parse_call_started,
    "click_connect": pa.parse_click_connect,
    "click_connect_logs": pa.parse_click_connect_logs,
    "agents": lambda b: pa.parse_agents(b, TODAY),
    "extensions": pa.parse_extensions,
    "extension_details": lambda b: pa.parse_extension_details(b, TODAY),
    "dids": pa.parse_dids,
    "did_live": pa.parse_did_live_status,
    "agent_live": pa.parse_agent_live_status,
    "contact": pa.parse_contact,
    "caller_details": pa.parse_caller_details,
    "saved_contact_id": pa.parse_saved_contact_id,
}


def _typed_or_malformed(parse: Callable[[Any], object], body: object) -> None:
    with contextlib.suppress(MalformedResponseError):
        parse(body)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(PARSERS)), body=bodies)
def test_parsers_never_crash_on_random_json(name: str, body: object) -> None:
    _typed_or_malformed(PARSERS[name], body)


record = st.fixed_dictionaries(
    {"recordid": st.one_of(st.integers(1, 10**9), st.from_regex(r"\A[0-9]{1,9}\Z")),
     "call_time": st.just("2024-12-15 10:30:45")},
    optional={k: scalars for k in KNOWN_KEYS if k not in ("recordid", "call_time")},
)


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(["call_logs", "c2c_logs", "dialer_logs", "click_connect_logs"]),
    rows=st.lists(record, max_size=4),
)
def test_list_parsers_on_nearly_valid_rows(name: str, rows: list[dict[str, Any]]) -> None:
    _typed_or_malformed(PARSERS[name], {"status": 200, "data": rows})


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(record, max_size=22))
def test_sync_batch_cursor_is_the_largest_id(rows: list[dict[str, Any]]) -> None:
    body = {"status": 200, "call_logs": rows, "click_to_call_logs": [], "dialer_logs": []}
    try:
        batch = pl.parse_sync_batch(body, SyncCursors())
    except MalformedResponseError:
        return
    if rows:
        assert int(batch.cursors.call) == max(int(r["recordid"]) for r in rows)
    assert ("call" in batch.saturated) == (len(rows) >= 20)
