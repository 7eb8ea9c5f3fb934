"""Every IVR Solutions endpoint path, method and encoding, in one table.

Paths marked ``GUESSED`` are proposals from ../shared/reference/api.md (the
provider's page lost them): correcting one is a one-line change here, or a
settings override (``api/path_overrides``) without code. The sandbox serves
exactly this table, so client and sandbox can never drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum


class Confidence(str, Enum):
    CONFIRMED = "confirmed"
    INFERRED = "inferred"
    GUESSED = "guessed"


class Encoding(str, Enum):
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
    ref: str  # row of ../shared/reference/api.md


C, I, G = Confidence.CONFIRMED, Confidence.INFERRED, Confidence.GUESSED
Q, J, F = Encoding.QUERY, Encoding.JSON, Encoding.FORM

_TABLE: tuple[Endpoint, ...] = (
    # Click-to-call (2.A)
    Endpoint("c2c_get", "GET", "/api/c2c_get", Q, C, "A1"),
    Endpoint("c2c_get_v1", "GET", "/v1/c2c_get", Q, C, "A1/X3"),
    # Form-encoded: the one encoding a working client reports c2c_post accepts.
    Endpoint("c2c_post", "POST", "/api/c2c_post", F, C, "A2"),
    Endpoint("c2c_schedule", "POST", "/api/c2c_schedule", J, G, "A3"),
    Endpoint("c2c_recordings", "GET", "/api/c2c_recordings", Q, G, "A4"),
    # Number masking (2.B)
    Endpoint("click_connect", "POST", "/api/click_connect", J, C, "B1"),
    Endpoint("click_connect_update", "POST", "/api/click_connect_update", J, C, "B2"),
    Endpoint("click_connect_logs", "POST", "/api/click_connect_logs", J, C, "B3"),
    # Agents and extensions (2.D)
    Endpoint("enable_disable_users", "POST", "/api/enable_disable_users", J, I, "D1"),
    Endpoint("get_agents", "GET", "/api/get_agents", Q, I, "D4"),
    Endpoint("get_extension", "POST", "/v1/get_extension", J, I, "D5"),
    Endpoint("get_extension_details", "POST", "/api/get_extension_details", J, G, "D6"),
    # Call logs and dispositions (2.E)
    Endpoint("call_logs", "GET", "/api/call_logs", Q, C, "E1"),
    Endpoint("call_logs_v1", "GET", "/v1/call_logs", Q, C, "E1b"),
    Endpoint("call_logs_by_number", "GET", "/api/get_call_log_by_number", Q, G, "E2"),
    Endpoint("c2c_logs", "GET", "/api/c2c_logs", Q, G, "E3"),
    Endpoint("c2c_logs_by_number", "GET", "/api/get_c2c_log_by_number", Q, G, "E4"),
    Endpoint("dialer_logs", "POST", "/api/dialer_logs", J, C, "E5"),
    Endpoint("get_call_status", "GET", "/api/get_call_status", Q, C, "E6"),
    Endpoint("update_call_note", "POST", "/api/update_call_note", J, G, "E7"),
    Endpoint("all_call_logs", "POST", "/v1/all_call_logs", J, C, "E8"),
    Endpoint("add_call_note", "POST", "/api/add_call_note", J, G, "E9"),
    # DIDs (2.F)
    Endpoint("get_dids", "POST", "/api/get_dids", J, C, "F1"),
    Endpoint("did_live_status", "POST", "/api/did_live_status", J, G, "F10"),
    Endpoint("agent_did_live_status", "POST", "/api/agent_did_live_status", J, G, "F11"),
    Endpoint("buy_did", "POST", "/ivrappv2/buy_did", J, C, "F4"),
    # Contacts (2.I)
    Endpoint("save_contact", "POST", "/api/save_contact", J, G, "I1"),
    Endpoint("get_contact", "POST", "/api/get_contact", J, G, "I2"),
    Endpoint("agent_get_contact", "POST", "/api/agent_get_contact", J, G, "I3"),
    Endpoint("get_caller_details", "POST", "/api/get_caller_details", J, G, "I5"),
    # Webhooks (2.J)
    Endpoint("add_webhook", "POST", "/api/add_webhook", J, G, "J1"),
    # Client-only (2.X)
    Endpoint("key_authentication", "POST", "/api/key_authentication", J, C, "X1"),
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
