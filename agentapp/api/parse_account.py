"""Pure parsers for the account side: token check, agents, extensions, DIDs,
contacts, click-to-call and click-connect replies, plain mutation messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from agentapp.api.coerce import (
    as_date,
    as_datetime,
    as_flag,
    as_id,
    as_int,
    as_list,
    as_mapping,
    as_str,
)
from agentapp.api.errors import MalformedResponseError
from agentapp.api.models import (
    AccountInfo,
    Agent,
    AgentLiveStatus,
    CallerDetails,
    CallStarted,
    ClickConnectLog,
    ClickConnectStarted,
    Contact,
    Did,
    DidLiveStatus,
    Extension,
    ExtensionDetails,
)


def _envelope(body: object) -> Mapping[str, Any]:
    return as_mapping(body, "response")


def _data_object(body: object, what: str) -> Mapping[str, Any]:
    return as_mapping(_envelope(body).get("data"), what)


def _data_list(body: object, key: str = "data") -> list[Any]:
    return as_list(_envelope(body).get(key), key)


def parse_message(body: object) -> str:
    """The ``message`` of a mutation reply (may be empty)."""
    return as_str(_envelope(body).get("message"), "message")


def parse_account(body: object) -> AccountInfo:
    """``key_authentication``: ``data`` is our guess, so it is optional."""
    envelope = _envelope(body)
    data_value = envelope.get("data")
    data = as_mapping(data_value, "account") if isinstance(data_value, Mapping) else {}
    return AccountInfo(
        message=as_str(envelope.get("message"), "message"),
        account_id=as_str(data.get("account_id"), "account_id"),
        company=as_str(data.get("company"), "company"),
        email=as_str(data.get("email"), "email"),
    )


def parse_call_started(body: object) -> CallStarted:
    """c2c reply: ``logid`` (int in the docs) or ``recordid`` (what PD reads)."""
    envelope = _envelope(body)
    logid_value = envelope.get("logid")
    if logid_value in (None, ""):
        logid_value = envelope.get("recordid")
    logid = as_id(logid_value, "logid")
    return CallStarted(
        logid=logid,
        message=as_str(envelope.get("message"), "message"),
        recordid=as_str(envelope.get("recordid"), "recordid") or logid,
    )


def parse_click_connect(body: object) -> ClickConnectStarted:
    """``logid`` per the docs page; KT reads the masked DID at ``data.data.did_no``."""
    envelope = _envelope(body)
    masked = ""
    outer = envelope.get("data")
    if isinstance(outer, Mapping):
        inner = outer.get("data")
        source = inner if isinstance(inner, Mapping) else outer
        masked = as_str(source.get("did_no"), "did_no")
    logid = as_str(envelope.get("logid"), "logid") or as_str(envelope.get("recordid"), "recordid")
    if not logid and not masked:
        raise MalformedResponseError("click-connect reply without logid or masked DID")
    return ClickConnectStarted(
        logid=logid, message=as_str(envelope.get("message"), "message"), masked_did=masked
    )


def parse_click_connect_logs(body: object) -> list[ClickConnectLog]:
    result = []
    for item in _data_list(body):
        raw = as_mapping(item, "click-connect log")
        record_id = raw.get("recordid") or raw.get("logid") or raw.get("id")
        result.append(
            ClickConnectLog(
                recordid=as_id(record_id, "recordid"),
                did_no=as_str(raw.get("did_no") or raw.get("did"), "did_no"),
                first_phone=as_str(raw.get("first_phone") or raw.get("first_number"), "first"),
                second_phone=as_str(
                    raw.get("second_phone") or raw.get("second_number"), "second"
                ),
                call_time=as_datetime(raw.get("call_time"), "call_time"),
                duration_s=as_int(raw.get("call_duration"), "call_duration"),
                status=as_str(raw.get("call_status") or raw.get("status"), "call_status"),
            )
        )
    return result


def _expired(expiry: date | None, today: date) -> bool:
    return expiry is not None and expiry < today


def parse_agents(body: object, today: date) -> list[Agent]:
    """``get_agents``: ``status`` "1"/"0"; expired when ``expiry_date`` is before today."""
    result = []
    for item in _data_list(body):
        raw = as_mapping(item, "agent")
        expiry = as_date(raw.get("expiry_date"), "expiry_date")
        result.append(
            Agent(
                ext_no=as_id(raw.get("ext_no"), "ext_no"),
                name=as_str(raw.get("name"), "name"),
                phone=as_str(raw.get("phone"), "phone"),
                enabled=as_flag(raw.get("status", "1"), "status"),
                expired=_expired(expiry, today),
                expiry_date=expiry,
                did_no=as_str(raw.get("did_no"), "did_no"),
                agent_id=as_str(raw.get("agent_id"), "agent_id"),
                email=as_str(raw.get("email"), "email"),
            )
        )
    return result


def parse_extensions(body: object) -> list[Extension]:
    """``/v1/get_extension``: ``{"exts":[{"ext","name","token"}]}``; the per-extension
    token is deliberately dropped (a credential we have no use for)."""
    envelope = _envelope(body)
    key = "exts" if "exts" in envelope else "data"
    result = []
    for item in as_list(envelope.get(key), key):
        raw = as_mapping(item, "extension")
        ext = raw.get("ext") if raw.get("ext") not in (None, "") else raw.get("ext_no")
        result.append(Extension(ext_no=as_id(ext, "ext"), name=as_str(raw.get("name"), "name")))
    return result


def parse_extension_details(body: object, today: date) -> ExtensionDetails:
    raw = _data_object(body, "extension details")
    expiry = as_date(raw.get("expiry_date"), "expiry_date")
    return ExtensionDetails(
        ext_no=as_id(raw.get("ext_no"), "ext_no"),
        name=as_str(raw.get("name"), "name"),
        phone=as_str(raw.get("phone"), "phone"),
        email=as_str(raw.get("email"), "email"),
        enabled=as_flag(raw.get("status", "1"), "status"),
        expired=_expired(expiry, today),
        expiry_date=expiry,
        did_no=as_str(raw.get("did_no"), "did_no"),
        call_forwarding=as_flag(raw.get("call_forwarding"), "call_forwarding"),
        connection=as_flag(raw.get("connection"), "connection"),
    )


def parse_dids(body: object) -> list[Did]:
    """``get_dids``: rich ``data`` objects, or only the ``dids`` number list (PD)."""
    envelope = _envelope(body)
    if envelope.get("data") is not None:
        result = []
        for item in _data_list(envelope):
            raw = as_mapping(item, "did")
            number = raw.get("did_number") or raw.get("did_no") or raw.get("number")
            result.append(
                Did(
                    number=as_id(number, "did_number"),
                    region=as_str(raw.get("region"), "region"),
                    active=as_flag(raw.get("status", "active"), "status"),
                    kind=as_str(raw.get("type"), "type"),
                )
            )
        return result
    if "dids" in envelope:
        numbers = as_list(envelope.get("dids"), "dids")
        return [Did(number=as_id(n, "did"), region="", active=True, kind="") for n in numbers]
    raise MalformedResponseError("DID list without 'data' or 'dids'")


def parse_did_live_status(body: object) -> list[DidLiveStatus]:
    result = []
    for item in _data_list(body):
        raw = as_mapping(item, "did live status")
        number = raw.get("did_number") or raw.get("did_no")
        result.append(
            DidLiveStatus(
                number=as_id(number, "did_number"),
                active=as_flag(raw.get("status", "active"), "status"),
                live_calls=as_int(raw.get("live_calls"), "live_calls"),
            )
        )
    return result


def parse_agent_live_status(body: object) -> list[AgentLiveStatus]:
    result = []
    for item in _data_list(body):
        raw = as_mapping(item, "agent live status")
        result.append(
            AgentLiveStatus(
                ext_no=as_id(raw.get("ext_no"), "ext_no"),
                name=as_str(raw.get("name"), "name"),
                did_number=as_str(raw.get("did_number") or raw.get("did_no"), "did_number"),
                status=as_str(raw.get("agent_status") or raw.get("status"), "agent_status"),
            )
        )
    return result


def parse_contact(body: object) -> Contact | None:
    """``get_contact``: ``data`` null means no such contact."""
    data_value = _envelope(body).get("data")
    if data_value is None:
        return None
    raw = as_mapping(data_value, "contact")
    number = as_str(raw.get("number") or raw.get("phone"), "number")
    if not number:
        raise MalformedResponseError("contact without a number")
    return Contact(
        id=as_str(raw.get("id"), "id"),
        name=as_str(raw.get("name"), "name"),
        number=number,
        country_code=as_str(raw.get("country_code"), "country_code") or "+91",
        email=as_str(raw.get("email"), "email"),
        company=as_str(raw.get("company"), "company"),
    )


def parse_caller_details(body: object) -> CallerDetails:
    raw = _data_object(body, "caller details")
    return CallerDetails(
        caller_number=as_str(raw.get("caller_number"), "caller_number"),
        name=as_str(raw.get("name"), "name"),
        total_calls=as_int(raw.get("total_calls"), "total_calls"),
        last_call_time=as_datetime(raw.get("last_call_time"), "last_call_time"),
        last_call_status=as_str(raw.get("last_call_status"), "last_call_status"),
        last_disposition=as_str(raw.get("last_disposition"), "last_disposition"),
    )


def parse_saved_contact_id(body: object) -> str:
    """``save_contact``: the new id from ``data.id`` ("" when the server omits it)."""
    data = _envelope(body).get("data")
    if isinstance(data, Mapping):
        return as_str(data.get("id"), "id")
    return as_str(data, "data") if isinstance(data, str | int) else ""
