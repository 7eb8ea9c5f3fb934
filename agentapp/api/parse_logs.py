"""Pure parsers for call logs, sync batches, live call state and dispositions.

Each takes the decoded JSON body (already checked for an error ``status``)
and returns models, or raises :class:`MalformedResponseError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from agentapp.api.coerce import (
    as_datetime,
    as_id,
    as_int,
    as_list,
    as_mapping,
    as_str,
)
from agentapp.api.errors import MalformedResponseError
from agentapp.api.models import (
    CallRecord,
    DispositionStatus,
    LiveCallState,
    SyncBatch,
    SyncCursors,
)

SYNC_CAP = 20  # the server returns at most this many records per category

RecordParser = Callable[[Mapping[str, Any]], CallRecord]

_CALL_TYPE_WORDS = {
    "inbound": "incoming",
    "incoming": "incoming",
    "in": "incoming",
    "outbound": "outgoing",
    "outgoing": "outgoing",
    "out": "outgoing",
}


def normalise_call_type(value: object) -> str:
    """``inbound`` (the docs page) and ``incoming`` (live clients) are one thing."""
    word = as_str(value, "call_type").lower()
    return _CALL_TYPE_WORDS.get(word, word)


def _required_time(raw: Mapping[str, Any]) -> Any:
    when = as_datetime(raw.get("call_time"), "call_time")
    if when is None:
        raise MalformedResponseError("call record without call_time")
    return when


def _looks_like_number(text: str) -> bool:
    digits = text.lstrip("+")
    return bool(digits) and digits.isdigit()


def parse_call_log_record(raw_value: object) -> CallRecord:
    """A ``call_logs`` row; outgoing calls name the customer in ``outgoing_ext``."""
    raw = as_mapping(raw_value, "call log record")
    call_type = normalise_call_type(raw.get("call_type"))
    outbound = call_type == "outgoing"
    attended_by = as_str(raw.get("attended_by"), "attended_by")
    if outbound:
        candidates = [as_str(raw.get("outgoing_ext"), "outgoing_ext"), attended_by]
        customer = next((c for c in candidates if _looks_like_number(c)), "")
        customer = customer or as_str(raw.get("client_no"), "client_no")
    else:
        customer = as_str(raw.get("client_no"), "client_no")
    return CallRecord(
        category="call",
        recordid=as_id(raw.get("recordid"), "recordid"),
        direction="outbound" if outbound else "inbound",
        customer_number=customer,
        did_no=as_str(raw.get("did_no"), "did_no"),
        ext_no=as_str(raw.get("ext_no"), "ext_no"),
        agent_no=as_str(raw.get("agent_no"), "agent_no"),
        agent_name="" if _looks_like_number(attended_by) else attended_by,
        call_time=_required_time(raw),
        duration_s=as_int(raw.get("call_duration"), "call_duration"),
        status=as_str(raw.get("call_status"), "call_status"),
        call_type=call_type or "incoming",
        recording_url=as_str(raw.get("recording_url") or raw.get("audio_url"), "recording_url"),
        dtmf=as_str(raw.get("dtmf_input"), "dtmf_input"),
        note=as_str(raw.get("note"), "note"),
        disposition=as_str(raw.get("disposition"), "disposition"),
        sip_call_id=as_str(raw.get("sip_call_id"), "sip_call_id"),
    )


def parse_c2c_log_record(raw_value: object) -> CallRecord:
    """A click-to-call row: always outbound, customer in ``client_no``."""
    raw = as_mapping(raw_value, "click-to-call log record")
    return CallRecord(
        category="c2c",
        recordid=as_id(raw.get("recordid"), "recordid"),
        direction="outbound",
        customer_number=as_str(raw.get("client_no"), "client_no"),
        did_no=as_str(raw.get("did_no"), "did_no"),
        ext_no=as_str(raw.get("ext_no"), "ext_no"),
        agent_no=as_str(raw.get("agent_no"), "agent_no"),
        agent_name=as_str(raw.get("agent_name"), "agent_name"),
        call_time=_required_time(raw),
        duration_s=as_int(raw.get("call_duration"), "call_duration"),
        status=as_str(raw.get("call_status"), "call_status"),
        call_type="c2c",
        recording_url=as_str(raw.get("recording_url"), "recording_url"),
        note=as_str(raw.get("note"), "note"),
        disposition=as_str(raw.get("disposition"), "disposition"),
    )


def parse_dialer_log_record(raw_value: object) -> CallRecord:
    """A dialer row: ``id``/``customer_no`` in dialer_logs, ``recordid``/``client_no`` in sync."""
    raw = as_mapping(raw_value, "dialer log record")
    record_id = raw.get("recordid") if raw.get("recordid") not in (None, "") else raw.get("id")
    customer = raw.get("client_no") if raw.get("client_no") not in (None, "") else None
    return CallRecord(
        category="dialer",
        recordid=as_id(record_id, "recordid"),
        direction="outbound",
        customer_number=as_str(customer or raw.get("customer_no"), "customer_no"),
        did_no=as_str(raw.get("did_no"), "did_no"),
        ext_no="",
        agent_no="",
        agent_name="",
        call_time=_required_time(raw),
        duration_s=as_int(raw.get("call_duration"), "call_duration"),
        status=as_str(raw.get("call_status"), "call_status"),
        call_type="dialer",
        recording_url=as_str(raw.get("recording_url"), "recording_url"),
        dtmf=as_str(raw.get("dtmf_input"), "dtmf_input"),
        note=as_str(raw.get("note"), "note"),
        disposition=as_str(raw.get("disposition"), "disposition"),
        dialer_name=as_str(raw.get("dialer_name"), "dialer_name"),
    )


def parse_record_list(body: object, parse_one: RecordParser, key: str = "data") -> list[CallRecord]:
    """``{"data": [...]}`` (or another key) into records; ``null`` is an empty list."""
    return [parse_one(item) for item in record_items(body, key)]


def record_items(body: object, key: str = "data") -> list[Any]:
    """The raw items of ``{"data": [...]}``; ``null`` is an empty list."""
    envelope = as_mapping(body, "response")
    return as_list(envelope.get(key), key)


def _advance(cursor: str, records: list[CallRecord]) -> str:
    """The newest record id, compared as numbers when they are numbers."""
    best = cursor
    for record in records:
        if _id_order(record.recordid) > _id_order(best):
            best = record.recordid
    return best


def _id_order(record_id: str) -> tuple[int, int, str]:
    if record_id.isdigit():
        return (1, int(record_id), "")
    return (0, 0, record_id)


def parse_sync_batch(body: object, previous: SyncCursors) -> SyncBatch:
    """``/v1/all_call_logs``: three newest-first arrays capped at 20 each."""
    envelope = as_mapping(body, "response")
    calls = parse_record_list(envelope, parse_call_log_record, "call_logs")
    c2c = parse_record_list(envelope, parse_c2c_log_record, "click_to_call_logs")
    dialer = parse_record_list(envelope, parse_dialer_log_record, "dialer_logs")
    saturated = {
        name
        for name, records in (("call", calls), ("c2c", c2c), ("dialer", dialer))
        if len(records) >= SYNC_CAP
    }
    cursors = SyncCursors(
        call=_advance(previous.call, calls),
        c2c=_advance(previous.c2c, c2c),
        dialer=_advance(previous.dialer, dialer),
    )
    return SyncBatch(calls=calls, c2c=c2c, dialer=dialer, cursors=cursors, saturated=saturated)


def parse_call_state(body: object) -> LiveCallState:
    """``get_call_status?logid=``: the live state of one call (wire contract)."""
    data = as_mapping(as_mapping(body, "response").get("data"), "call state")
    state = as_str(data.get("state"), "state")
    if not state:
        raise MalformedResponseError("call state without 'state'")
    return LiveCallState(
        logid=as_id(data.get("logid") or data.get("recordid"), "logid"),
        state=state,
        agent_status=as_str(data.get("agent_status"), "agent_status"),
        customer_status=as_str(data.get("customer_status"), "customer_status"),
        call_status=as_str(data.get("call_status"), "call_status"),
        call_duration=as_int(data.get("call_duration"), "call_duration"),
        call_type=normalise_call_type(data.get("call_type")),
        did_no=as_str(data.get("did_no"), "did_no"),
        ext_no=as_str(data.get("ext_no"), "ext_no"),
        client_no=as_str(data.get("client_no"), "client_no"),
        agent_no=as_str(data.get("agent_no"), "agent_no"),
        recordid=as_str(data.get("recordid"), "recordid"),
        call_time=as_datetime(data.get("call_time"), "call_time"),
        answered_at=as_datetime(data.get("answered_at"), "answered_at"),
        ended_at=as_datetime(data.get("ended_at"), "ended_at"),
    )


def parse_dispositions(body: object) -> list[DispositionStatus]:
    """``get_call_status`` without logid: the account's disposition list."""
    items = as_list(as_mapping(body, "response").get("data"), "data")
    result = []
    for item in items:
        entry = as_mapping(item, "disposition")
        name = as_str(entry.get("name"), "name")
        if not name or entry.get("id") in (None, ""):
            raise MalformedResponseError("disposition without an id or a name")
        result.append(DispositionStatus(id=as_int(entry.get("id"), "id"), name=name))
    return result
