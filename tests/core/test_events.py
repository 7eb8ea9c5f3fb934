"""Webhook body parsing: live events, post-call records, and junk."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentapp.core.call import EventKind, Leg
from agentapp.core.events import BadEvent, CallRecordNotice, parse_webhook


def test_live_event_per_wire_contract() -> None:
    body = {
        "event": "hangup", "event_id": "123456-5", "seq": 5, "logid": "123456",
        "recordid": "123456", "call_type": "c2c", "leg": "customer", "did_no": "+911143104567",
        "ext_no": "2101", "agent_no": "9810012345", "client_no": "9876543210",
        "timestamp": "2026-11-26 10:00:03", "cause": "busy", "call_duration": "0",
    }  # fmt: skip
    event = parse_webhook(body, received_at=50.0)
    assert not isinstance(event, CallRecordNotice)
    assert (event.kind, event.leg, event.logid, event.event_id) == (
        EventKind.HANGUP, Leg.CUSTOMER, "123456", "123456-5",
    )  # fmt: skip
    assert (event.cause, event.duration_s, event.at, event.source) == ("busy", 0, 50.0, "webhook")
    assert (event.client_no, event.ext_no, event.call_type) == ("9876543210", "2101", "c2c")


def test_tolerant_of_ints_lists_and_plus() -> None:
    body: dict[str, Any] = {"event": ["RING"], "logid": 42, "seq": ["1"], "leg": "Agent"}
    event = parse_webhook(body, 1.0)
    assert not isinstance(event, CallRecordNotice)
    assert (event.kind, event.leg, event.logid, event.event_id) == (
        EventKind.RING, Leg.AGENT, "42", "42-1",
    )  # fmt: skip
    dtmf = parse_webhook({"event": "dtmf", "recordid": "+7", "digits": "12#"}, 1.0)
    assert not isinstance(dtmf, CallRecordNotice)
    assert (dtmf.logid, dtmf.digits, dtmf.leg) == ("7", "12#", None)


def test_post_call_record() -> None:
    body = {
        "recordid": 99, "did_no": "+911143104567", "call_type": "incoming",
        "client_no": "+919876543210", "agent_no": "9810012345", "attended_by": "09810012345",
        "ext_no": "2101", "agent_attended": "1", "customer_attended": "0",
        "call_duration": "12", "call_time": "2026-11-26 10:00:00",
        "recording_url": "http://x/rec.wav", "call_status": "answered",
    }  # fmt: skip
    record = parse_webhook(body, 0.0)
    assert isinstance(record, CallRecordNotice)
    assert record.recordid == "99"
    assert record.client_no == "+919876543210"
    assert (record.agent_attended, record.customer_attended, record.call_duration) == (
        True, False, 12,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "neither"),
        ({"event": "explode", "logid": "1"}, "unknown event"),
        ({"event": "snapshot", "logid": "1"}, "unknown event"),
        ({"event": "ring"}, "without a logid"),
        ({"event": "ring", "logid": "abc"}, "not a number"),
        ({"event": "hangup", "logid": "1", "call_duration": "long"}, "not a number"),
        ({"recordid": "x1"}, "not a number"),
        ({"hello": "world"}, "neither"),
    ],
)
def test_junk_is_a_bad_event(body: dict[str, Any], words: str) -> None:
    with pytest.raises(BadEvent) as info:
        parse_webhook(body, 0.0)
    assert words in info.value.reason


def test_non_mapping_is_bad() -> None:
    with pytest.raises(BadEvent):
        parse_webhook([1, 2], 0.0)  # type: ignore[arg-type]


values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12),
    st.lists(st.text(max_size=5), max_size=2), st.dictionaries(st.text(max_size=3), st.integers()),
)  # fmt: skip
keys = st.sampled_from(
    ["event", "logid", "recordid", "leg", "seq", "event_id", "call_duration", "cause", "x"]
)


@given(st.dictionaries(keys, values, max_size=8))
def test_any_body_parses_or_is_bad(body: dict[str, Any]) -> None:
    try:
        result = parse_webhook(body, 0.0)
    except BadEvent as exc:
        assert exc.reason
    else:
        ident = result.recordid if isinstance(result, CallRecordNotice) else result.logid
        assert ident.isdigit()


@pytest.mark.parametrize("duration", ["inf", "-inf", "1e400", "nan", float("inf"), 1e400])
def test_absurd_durations_are_bad_events_not_crashes(duration: object) -> None:
    with pytest.raises(BadEvent):
        parse_webhook({"event": "hangup", "logid": "1", "call_duration": duration}, 0.0)
