"""Every IVR Solutions endpoint path, method and encoding, in one table.

Paths marked ``GUESSED`` are our proposals (the provider's page lost them; see
docs/api-reference.md, whose row ids are each endpoint's ``ref``): correcting
one is a one-line change here, or a settings override (``api/path_overrides``)
without code. The sandbox serves exactly this table (every row with a documented
request or reply), so client and sandbox can never drift apart; ``agentapp
--check-api`` and the sandbox's OpenAPI document show each row's confidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum


class Confidence(StrEnum):
    CONFIRMED = "confirmed"
    INFERRED = "inferred"
    GUESSED = "guessed"


class Encoding(StrEnum):
    QUERY = "query"  # GET with query parameters
    JSON = "json"
    FORM = "form"  # application/x-www-form-urlencoded


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    encoding: Encoding
    confidence: Confidence
    ref: str  # row id in docs/api-reference.md


CONF, INF, GUESS = Confidence.CONFIRMED, Confidence.INFERRED, Confidence.GUESSED
Q, J, F = Encoding.QUERY, Encoding.JSON, Encoding.FORM

_TABLE: tuple[Endpoint, ...] = (
    # Click-to-call (2.A)
    Endpoint("c2c_get", "GET", "/api/c2c_get", Q, CONF, "A1"),
    Endpoint("c2c_get_v1", "GET", "/v1/c2c_get", Q, CONF, "A1/X3"),
    # Form-encoded: the one encoding a working client reports c2c_post accepts.
    Endpoint("c2c_post", "POST", "/api/c2c_post", F, CONF, "A2"),
    Endpoint("c2c_schedule", "POST", "/api/c2c_schedule", J, GUESS, "A3"),
    Endpoint("c2c_recordings", "GET", "/api/c2c_recordings", Q, GUESS, "A4"),
    # Number masking (2.B)
    Endpoint("click_connect", "POST", "/api/click_connect", J, CONF, "B1"),
    Endpoint("click_connect_update", "POST", "/api/click_connect_update", J, CONF, "B2"),
    Endpoint("click_connect_logs", "POST", "/api/click_connect_logs", J, CONF, "B3"),
    # Outbound calls and dialer campaigns (2.C): served by the sandbox, unused by the app
    Endpoint("get_call_flows", "GET", "/api/get_call_flows", Q, GUESS, "C1"),
    Endpoint("dial_by_flow", "POST", "/api/dial_by_flow", J, INF, "C2"),
    Endpoint("dial_by_text", "POST", "/api/dial_by_text", J, CONF, "C3"),
    Endpoint("get_dialers_list", "GET", "/api/get_dialers_list", Q, CONF, "C4"),
    Endpoint("add_to_ivrdialer", "POST", "/api/add_to_ivrdialer", J, INF, "C5"),
    Endpoint("add_to_ivrdialerbulk", "POST", "/api/add_to_ivrdialerbulk", J, CONF, "C6"),
    Endpoint("change_dialer_status", "POST", "/api/change_dialer_status", J, CONF, "C7"),
    Endpoint("get_customer_list", "GET", "/api/get_customer_list", Q, GUESS, "C8"),
    Endpoint("create_customer_list", "POST", "/api/create_customer_list", J, GUESS, "C9"),
    Endpoint("create_text_dialer", "POST", "/api/create_text_dialer", J, CONF, "C10"),
    Endpoint("edit_text_dialer", "POST", "/api/edit_text_dialer", J, GUESS, "C11"),
    Endpoint("add_to_dialer", "POST", "/v1/add_to_dialer", J, CONF, "C12"),
    Endpoint("dial_by_flow_get", "GET", "/api/dial_by_flow_get", Q, GUESS, "C13"),
    # AI voice bots (2.G)
    Endpoint("dial_by_aivoicebot", "POST", "/api/dial_by_aivoicebot", J, CONF, "G2"),
    Endpoint("dial_by_voicebot", "POST", "/api/dial_by_voicebot", J, CONF, "G3"),
    Endpoint("get_voicebot_details", "POST", "/api/get_voicebot_details", J, GUESS, "G5"),
    # Text templates (2.H)
    Endpoint("create_text_template", "POST", "/api/create_text_template", J, GUESS, "H1"),
    Endpoint("text_template_status", "POST", "/api/text_template_status", J, GUESS, "H2"),
    Endpoint("get_text_templates", "GET", "/api/get_text_templates", Q, GUESS, "H3"),
    # Agents and extensions (2.D)
    Endpoint("enable_disable_users", "POST", "/api/enable_disable_users", J, INF, "D1"),
    Endpoint("addagent", "POST", "/ivrappv2/addagent", J, INF, "D2"),
    Endpoint("update_agent_did", "POST", "/ivrappv2/update_agent_did", J, INF, "D3"),
    Endpoint("get_agents", "GET", "/api/get_agents", Q, INF, "D4"),
    Endpoint("get_extension", "POST", "/v1/get_extension", J, INF, "D5"),
    Endpoint("get_extension_details", "POST", "/api/get_extension_details", J, GUESS, "D6"),
    Endpoint("deactivate_group_user", "POST", "/ivrappv2/deactivate_group_user", J, GUESS, "D7"),
    Endpoint("set_extension_expiry", "POST", "/ivrappv2/set_extension_expiry", J, GUESS, "D8"),
    Endpoint("create_group_extension", "POST", "/ivrappv2/create_group_extension", J, GUESS,
             "D9"),
    # Call logs and dispositions (2.E)
    Endpoint("call_logs", "GET", "/api/call_logs", Q, CONF, "E1"),
    Endpoint("call_logs_v1", "GET", "/v1/call_logs", Q, CONF, "E1b"),
    Endpoint("call_logs_by_number", "GET", "/api/get_call_log_by_number", Q, GUESS, "E2"),
    Endpoint("c2c_logs", "GET", "/api/c2c_logs", Q, GUESS, "E3"),
    Endpoint("c2c_logs_by_number", "GET", "/api/get_c2c_log_by_number", Q, GUESS, "E4"),
    Endpoint("dialer_logs", "POST", "/api/dialer_logs", J, CONF, "E5"),
    Endpoint("get_call_status", "GET", "/api/get_call_status", Q, CONF, "E6"),
    Endpoint("update_call_note", "POST", "/api/update_call_note", J, GUESS, "E7"),
    Endpoint("all_call_logs", "POST", "/v1/all_call_logs", J, CONF, "E8"),
    Endpoint("add_call_note", "POST", "/api/add_call_note", J, GUESS, "E9"),
    # DIDs (2.F)
    Endpoint("get_dids", "POST", "/api/get_dids", J, CONF, "F1"),
    Endpoint("did_live_status", "POST", "/api/did_live_status", J, GUESS, "F10"),
    Endpoint("agent_did_live_status", "POST", "/api/agent_did_live_status", J, GUESS, "F11"),
    Endpoint("get_did_regions", "GET", "/ivrappv2/get_did_regions", Q, GUESS, "F2"),
    Endpoint("search_did", "POST", "/ivrappv2/search_did", J, GUESS, "F3"),
    Endpoint("buy_did", "POST", "/ivrappv2/buy_did", J, CONF, "F4"),
    Endpoint("did_search", "POST", "/ivrappv2/did_search", J, GUESS, "F6"),
    Endpoint("create_did_user", "POST", "/ivrappv2/create_did_user", J, GUESS, "F7"),
    Endpoint("create_group_did", "POST", "/ivrappv2/create_group_did", J, GUESS, "F8"),
    Endpoint("create_group_did_sip", "POST", "/ivrappv2/create_group_did_sip", J, GUESS, "F9"),
    # Contacts (2.I)
    Endpoint("save_contact", "POST", "/api/save_contact", J, GUESS, "I1"),
    Endpoint("get_contact", "POST", "/api/get_contact", J, GUESS, "I2"),
    Endpoint("agent_get_contact", "POST", "/api/agent_get_contact", J, GUESS, "I3"),
    Endpoint("get_variables", "GET", "/api/get_variables", Q, GUESS, "I4"),
    Endpoint("get_caller_details", "POST", "/api/get_caller_details", J, GUESS, "I5"),
    # Webhooks (2.J)
    Endpoint("add_webhook", "POST", "/api/add_webhook", J, GUESS, "J1"),
    # Client-only (2.X)
    Endpoint("key_authentication", "POST", "/api/key_authentication", J, CONF, "X1"),
)

ENDPOINTS: Mapping[str, Endpoint] = {e.name: e for e in _TABLE}


def endpoint_table(overrides: Mapping[str, str] | None = None) -> dict[str, Endpoint]:
    """The table with path overrides applied (``{"get_contact": "/api/contact"}``).

    Unknown names in ``overrides`` raise ``KeyError`` so a typo in settings is
    reported instead of silently ignored.
    """
    table = dict(ENDPOINTS)
    for name, path in (overrides or {}).items():
        if name not in table:
            raise KeyError(f"unknown endpoint in path overrides: {name!r}")
        if not path.startswith("/"):
            raise ValueError(f"path override for {name!r} must start with '/': {path!r}")
        table[name] = replace(table[name], path=path)
    return table
