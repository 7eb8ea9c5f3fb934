"""Confirmed-path endpoints the sandbox serves that are not (yet) in api/endpoints.py.

Same :class:`Endpoint` rows, to be merged into the one table by its owner.
"""

from __future__ import annotations

from agentapp.api.endpoints import Confidence, Encoding, Endpoint

CONF, INF = Confidence.CONFIRMED, Confidence.INFERRED
Q, J = Encoding.QUERY, Encoding.JSON

EXTRA_ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("dial_by_text", "POST", "/api/dial_by_text", J, CONF, "C3"),
    Endpoint("get_dialers_list", "GET", "/api/get_dialers_list", Q, CONF, "C4"),
    Endpoint("add_to_ivrdialer", "POST", "/api/add_to_ivrdialer", J, INF, "C5"),
    Endpoint("add_to_ivrdialerbulk", "POST", "/api/add_to_ivrdialerbulk", J, CONF, "C6"),
    Endpoint("change_dialer_status", "POST", "/api/change_dialer_status", J, CONF, "C7"),
    Endpoint("create_text_dialer", "POST", "/api/create_text_dialer", J, CONF, "C10"),
    Endpoint("add_to_dialer", "POST", "/v1/add_to_dialer", J, CONF, "C12"),
    Endpoint("dial_by_aivoicebot", "POST", "/api/dial_by_aivoicebot", J, CONF, "G2"),
    Endpoint("dial_by_voicebot", "POST", "/api/dial_by_voicebot", J, CONF, "G3"),
)
