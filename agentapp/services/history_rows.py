"""API log records -> store rows (the store does not know the API's shapes)."""

from __future__ import annotations

from collections.abc import Iterable

from agentapp.api.models import CallRecord, ClickConnectLog
from agentapp.store.rows import CallRow, Kind, number_key


def _kind(record: CallRecord) -> Kind:
    if record.category == "c2c":
        return "c2c"
    if record.category == "dialer":
        return "dialer"
    return "outgoing" if record.direction == "outbound" else "incoming"


def row_from_record(record: CallRecord) -> CallRow:
    return CallRow(
        source=record.category,
        record_id=record.recordid,
        kind=_kind(record),
        direction=record.direction,
        number=number_key(record.customer_number),
        number_raw=record.customer_number,
        started_at=int(record.call_time.timestamp()),
        did=record.did_no,
        ext_no=record.ext_no,
        agent_no=record.agent_no,
        agent_name=record.agent_name,
        dtmf=record.dtmf,
        outcome=record.status,
        duration_s=record.duration_s,
        recording_url=record.recording_url,
        remark=record.note,
        disposition=record.disposition,
        sip_call_id=record.sip_call_id,
        campaign=record.dialer_name,
    )


def row_from_masked(log: ClickConnectLog) -> CallRow | None:
    """A number-masking (click-connect) call; the customer is the second party.

    Guessed: the reference names ``first_phone`` the party called first (the
    agent in every client on record) and ``second_phone`` the one bridged in.
    A row without a time cannot be placed in history and is skipped.
    """
    if log.call_time is None:
        return None
    return CallRow(
        source="masked",
        record_id=log.recordid,
        kind="masked",
        direction="outbound",
        number=number_key(log.second_phone),
        number_raw=log.second_phone,
        started_at=int(log.call_time.timestamp()),
        did=log.did_no,
        agent_no=log.first_phone,
        outcome=log.status,
        duration_s=log.duration_s,
    )


def rows_from_records(records: Iterable[CallRecord]) -> list[CallRow]:
    return [row_from_record(r) for r in records]
