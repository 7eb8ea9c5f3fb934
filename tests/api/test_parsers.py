"""Response parsers on the known variations of the provider's JSON (no HTTP)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from agentapp.api import parse_account as pa
from agentapp.api import parse_logs as pl
from agentapp.api.coerce import IST, as_flag, as_int, status_is_success
from agentapp.api.errors import MalformedResponseError
from agentapp.api.models import SyncCursors

CALL_ROW = {
    "recordid": 12345,
    "did_no": "+911143104567",
    "client_no": "9876543210",
    "agent_no": "9810012345",
    "attended_by": "John Doe",
    "ext_no": "2101",
    "call_time": "2024-12-15 10:30:45",
    "call_duration": 185,
    "call_status": "answered",
    "call_type": "inbound",
    "recording_url": "https://calls.example/monitor/2024/12/15/rec_12345.mp3",
    "dtmf_input": "1",
}


def test_call_log_record_from_the_docs_page_example() -> None:
    record = pl.parse_call_log_record(CALL_ROW)
    assert record.recordid == "12345"
    assert record.direction == "inbound"
    assert record.call_type == "incoming"  # "inbound" is normalised
    assert record.customer_number == "9876543210"
    assert record.agent_name == "John Doe"
    assert record.duration_s == 185
    assert record.call_time == datetime(2024, 12, 15, 10, 30, 45, tzinfo=IST)
    assert record.key == "12345"


def test_call_log_record_with_string_numbers_and_missing_optionals() -> None:
    row = {
        "recordid": "77",
        "client_no": "9876543210",
        "call_time": "2024-12-15T10:30:45",
        "call_duration": "42",
        "call_type": "incoming",
    }
    record = pl.parse_call_log_record(row)
    assert (record.recordid, record.duration_s, record.dtmf, record.recording_url) == (
        "77",
        42,
        "",
        "",
    )


def test_outgoing_call_names_customer_from_outgoing_ext() -> None:
    row = {**CALL_ROW, "call_type": "outgoing", "outgoing_ext": "9123456789", "client_no": "2101"}
    record = pl.parse_call_log_record(row)
    assert record.direction == "outbound"
    assert record.customer_number == "9123456789"


def test_record_without_id_or_time_is_malformed() -> None:
    with pytest.raises(MalformedResponseError):
        pl.parse_call_log_record({**CALL_ROW, "recordid": ""})
    with pytest.raises(MalformedResponseError):
        pl.parse_call_log_record({**CALL_ROW, "call_time": "yesterday"})


def test_c2c_and_dialer_records_are_outbound_with_category_keys() -> None:
    c2c = pl.parse_c2c_log_record({**CALL_ROW, "recordid": "5", "agent_name": "Priya"})
    assert (c2c.category, c2c.direction, c2c.key, c2c.agent_name) == ("c2c", "outbound", "c2c-5",
                                                                     "Priya")
    dialer = pl.parse_dialer_log_record(
        {"id": 78901, "customer_no": "9812345678", "call_time": "2024-12-15 10:00:00",
         "call_duration": 45, "call_status": "answered", "dialer_name": "Leads", "attempts": 1}
    )
    assert (dialer.recordid, dialer.customer_number, dialer.key) == (
        "78901", "9812345678", "dialer-78901")
    synced = pl.parse_dialer_log_record(
        {"recordid": "9", "id": "9", "client_no": "9800000000", "customer_no": "9800000000",
         "call_time": "2024-12-15 10:00:00"}
    )
    assert synced.customer_number == "9800000000"


def test_sync_batch_advances_cursors_and_flags_saturation() -> None:
    calls = [{**CALL_ROW, "recordid": str(100 - i)} for i in range(20)]
    body = {"status": 200, "call_logs": calls, "click_to_call_logs": [
        {**CALL_ROW, "recordid": "9"}], "dialer_logs": []}
    batch = pl.parse_sync_batch(body, SyncCursors(call="", c2c="3", dialer="7"))
    assert batch.cursors == SyncCursors(call="100", c2c="9", dialer="7")
    assert batch.saturated == {"call"}
    assert len(batch.records) == 21
    # Numeric comparison, not string: "100" > "99".
    assert pl.parse_sync_batch(body, SyncCursors(call="99")).cursors.call == "100"


def test_sync_batch_accepts_null_and_missing_categories() -> None:
    batch = pl.parse_sync_batch({"status": "200", "call_logs": None}, SyncCursors(call="5"))
    assert batch.records == [] and batch.cursors.call == "5" and not batch.saturated


def test_list_where_object_expected_is_malformed() -> None:
    with pytest.raises(MalformedResponseError):
        pl.parse_record_list({"data": {"recordid": 1}}, pl.parse_call_log_record)
    with pytest.raises(MalformedResponseError):
        pl.parse_record_list([CALL_ROW], pl.parse_call_log_record)


def test_live_call_state() -> None:
    body = {"status": True, "data": {
        "logid": "123456", "recordid": "123456", "call_type": "c2c", "state": "connected",
        "agent_status": "answered", "customer_status": "answered", "call_status": "",
        "call_duration": "12", "call_time": "2026-11-26 10:00:00", "answered_at": "",
        "ended_at": "", "did_no": "+911143104567", "ext_no": "2101", "agent_no": "9810012345",
        "client_no": "9876543210"}}
    state = pl.parse_call_state(body)
    assert (state.logid, state.state, state.call_duration, state.ended) == (
        "123456", "connected", 12, False)
    assert state.answered_at is None


def test_dispositions() -> None:
    body = {"status": True, "data": [{"id": 1, "name": "Interested"}, {"id": "2", "name": "DND"}]}
    assert [(d.id, d.name) for d in pl.parse_dispositions(body)] == [(1, "Interested"), (2, "DND")]
    with pytest.raises(MalformedResponseError):
        pl.parse_dispositions({"data": [{"name": "No id"}]})


def test_dids_from_data_or_dids_list() -> None:
    rich = {"status": True, "data": [{"did_number": "+911143104567", "region": "Delhi",
                                      "status": "inactive", "type": "landline"}],
            "dids": ["+911143104567"]}
    [did] = pa.parse_dids(rich)
    assert (did.number, did.region, did.active, did.kind) == ("+911143104567", "Delhi", False,
                                                               "landline")
    [plain] = pa.parse_dids({"dids": ["+918044475500"]})
    assert plain.number == "+918044475500" and plain.active
    with pytest.raises(MalformedResponseError):
        pa.parse_dids({"status": True})


def test_agents_enabled_and_expired() -> None:
    body = {"status": True, "data": [
        {"agent_id": 456, "name": "Priya", "phone": "9810012345", "ext_no": "2101",
         "status": "1", "expiry_date": "2027-03-31", "did_no": "+911143104567"},
        {"agent_id": 457, "name": "Old", "phone": "9810012346", "ext_no": 2102,
         "status": "0", "expiry_date": "2020-01-01"}]}
    first, second = pa.parse_agents(body, today=date(2026, 1, 1))
    assert (first.enabled, first.expired, first.agent_id) == (True, False, "456")
    assert (second.ext_no, second.enabled, second.expired) == ("2102", False, True)


def test_extensions_drop_the_per_extension_token() -> None:
    [ext] = pa.parse_extensions({"exts": [{"ext": "2101", "name": "Priya", "token": "ext-2101"}]})
    assert ext.ext_no == "2101" and "ext-2101" not in repr(ext)


def test_contact_found_and_absent() -> None:
    body = {"status": True, "data": {"id": 12, "name": "Rahul", "number": "9876543210",
                                     "country_code": "+91"}}
    contact = pa.parse_contact(body)
    assert contact is not None and (contact.id, contact.name) == ("12", "Rahul")
    assert pa.parse_contact({"status": True, "data": None}) is None


def test_call_started_logid_int_or_recordid_string() -> None:
    started = pa.parse_call_started({"status": 200, "message": "Call connecting. Please wait...",
                                     "logid": 123456})
    assert (started.logid, started.recordid) == ("123456", "123456")
    assert pa.parse_call_started({"status": 200, "recordid": "99"}).logid == "99"
    with pytest.raises(MalformedResponseError):
        pa.parse_call_started({"status": 200, "message": "ok"})


def test_click_connect_logid_or_nested_masked_did() -> None:
    assert pa.parse_click_connect({"status": 200, "logid": 7}).logid == "7"
    nested = pa.parse_click_connect({"status": 200, "data": {"data": {"did_no": "+9180"}}})
    assert nested.masked_did == "+9180"


def test_account_data_is_optional() -> None:
    assert pa.parse_account({"status": 200}).account_id == ""
    info = pa.parse_account({"status": 200, "message": "Token is valid",
                             "data": {"account_id": "A1", "company": "Acme"}})
    assert (info.account_id, info.company) == ("A1", "Acme")


@pytest.mark.parametrize("value", [200, "200", True, "true", "success"])
def test_success_statuses(value: object) -> None:
    assert status_is_success(value)


@pytest.mark.parametrize("value", [401, "401", False, "error", None, 0])
def test_failure_statuses(value: object) -> None:
    assert not status_is_success(value)


def test_scalar_coercions() -> None:
    assert as_int("185") == 185 and as_int(185.0) == 185 and as_int("") == 0
    assert as_flag("1") and not as_flag("0") and as_flag("active") and not as_flag(False)
    with pytest.raises(MalformedResponseError):
        as_int("12s")
    with pytest.raises(MalformedResponseError):
        as_flag("maybe")
