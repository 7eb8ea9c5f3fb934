"""Wire shapes of log records (docs/wire-contract.md, "Logs"), built on demand.

Recording URLs are derived from the id and date at serialisation time, so the
generator does no per-record URL work and the base URL can be the bound port.
"""

from __future__ import annotations

from typing import Any

from .world import C2CLog, CallLog, ClickConnectLog, DialerLog


def call_recording_path(recordid: int, call_time: str) -> str:
    y, m, d = call_time[:10].split("-")
    return f"/monitor/{y}/{m}/{d}/rec_{recordid}.mp3"


def c2c_recording_path(recordid: int, call_time: str) -> str:
    y, m, d = call_time[:10].split("-")
    return f"/monitor/c2c/{y}/{m}/{d}/c2c_{recordid}.mp3"


def call_log_dict(r: CallLog, base_url: str) -> dict[str, Any]:
    return {
        "recordid": str(r.recordid), "did_no": r.did_no, "client_no": r.client_no,
        "agent_no": r.agent_no, "attended_by": r.attended_by, "ext_no": r.ext_no,
        "call_time": r.call_time, "call_duration": r.call_duration,
        "call_status": r.call_status, "call_type": r.call_type,
        "recording_url": base_url + call_recording_path(r.recordid, r.call_time)
        if r.has_recording else "",
        "dtmf_input": r.dtmf_input, "sip_call_id": f"sbx-{r.recordid}@sip.sandbox",
        "outgoing_ext": r.outgoing_ext, "note": r.note, "disposition": r.disposition,
    }


def c2c_log_dict(r: C2CLog, base_url: str) -> dict[str, Any]:
    return {
        "recordid": str(r.recordid), "did_no": r.did_no, "agent_no": r.agent_no,
        "client_no": r.client_no, "agent_name": r.agent_name, "ext_no": r.ext_no,
        "call_time": r.call_time, "call_duration": r.call_duration,
        "call_status": r.call_status,
        "recording_url": base_url + c2c_recording_path(r.recordid, r.call_time)
        if r.has_recording else "",
        "agent_attended": "1" if r.agent_attended else "0",
        "customer_attended": "1" if r.customer_attended else "0",
        "note": r.note, "disposition": r.disposition,
    }


def c2c_by_number_dict(r: C2CLog, base_url: str) -> dict[str, Any]:
    """E4 drops ``agent_name`` and ``call_status`` (as the provider's page shows)."""
    row = c2c_log_dict(r, base_url)
    del row["agent_name"], row["call_status"]
    return row


def dialer_log_dict(r: DialerLog) -> dict[str, Any]:
    return {
        "id": r.id, "dialer_id": r.dialer_id, "dialer_name": r.dialer_name,
        "customer_no": r.customer_no, "call_time": r.call_time,
        "call_duration": r.call_duration, "call_status": r.call_status,
        "dtmf_input": r.dtmf_input, "attempts": r.attempts,
    }


def dialer_sync_dict(r: DialerLog) -> dict[str, Any]:
    """``all_call_logs.dialer_logs`` rows also carry ``recordid`` and ``client_no``."""
    row = dialer_log_dict(r)
    row["recordid"] = str(r.id)
    row["client_no"] = r.customer_no
    return row


def click_connect_log_dict(r: ClickConnectLog) -> dict[str, Any]:
    return {
        "logid": str(r.logid), "recordid": str(r.logid), "did_no": r.did_no,
        "first_number": r.first_number, "second_number": r.second_number,
        "call_time": r.call_time, "call_duration": r.call_duration, "call_status": r.call_status,
    }
