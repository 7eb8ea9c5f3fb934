"""Per endpoint: the request parameters and one example request, for the OpenAPI document.

Parameters are written ``name`` (optional) or ``name*`` (required), with ``:integer``,
``:array`` or ``:boolean`` when not a string. Examples are the provider page's own
where it has one (so the document's response examples are the sandbox's answers to
the page's requests); the rest are ours. The sandbox runs each example against a
fresh world to take the response example.
"""

from __future__ import annotations

from typing import Any

SCHEDULE = {"schedule_datetime": "2024-12-31 13:00:00", "timezone": "Asia/Kolkata"}
DID_USER = {"call_forwarding": "1", "connection": "1", "did_no": "+911143104567",
            "email": "user@company.com", "expiry_date": "2025-12-31", "extn_no": "2101",
            "kyc_required": "0", "name": "John Doe", "password": "SecurePass@123",
            "phone": "09876543210", "recording_id": "2207"}
DID_USER_PARAMS = ("call_forwarding* connection* did_no email expiry_date extn_no kyc_required "
                   "name password* phone recording_id*")
C2C_PARAMS = "did* ext_no* phone*"
C2C_EXAMPLE = {"did": "911143104567", "ext_no": "2101", "phone": "09876543210"}

REQUESTS: dict[str, tuple[str, dict[str, Any]]] = {
    "c2c_get": (C2C_PARAMS, C2C_EXAMPLE),
    "c2c_get_v1": (C2C_PARAMS, {**C2C_EXAMPLE, "ext_no": "2102", "did": "918044475500"}),
    "c2c_post": (C2C_PARAMS, {**C2C_EXAMPLE, "ext_no": "2105"}),
    "c2c_schedule": ("did* first_phone* second_phone* body schedule_datetime timezone",
                     {"did": "+911143104567", "first_phone": "09876543210",
                      "second_phone": "09123456789", **SCHEDULE}),
    "c2c_recordings": ("", {}),
    "click_connect": ("first_phone* second_phone* did*",
                      {"first_phone": "+919876543210", "second_phone": "+919123456789",
                       "did": "+911143104567"}),
    "click_connect_update": ("action* did* first_number* body",
                             {"action": "update", "did": "+911143104567",
                              "first_number": "9876543210"}),
    "click_connect_logs": ("did from_date to_date orderby",
                           {"did": "+911143104567", "orderby": "desc"}),
    "get_call_flows": ("", {}),
    "dial_by_flow": ("did_no* flow_id* customer_no* schedule_datetime timezone",
                     {"did_no": "+911143104567", "flow_id": "1001",
                      "customer_no": "09871234567", **SCHEDULE}),
    "dial_by_text": ("did_no* flow_id customer_no* template_name* Variable schedule_datetime "
                     "timezone", {"did_no": "+911143104567", "flow_id": "1701",
                                  "customer_no": "09354123456",
                                  "template_name": "api_order_confirm",
                                  "Variable": "John,ORD12345,1500", **SCHEDULE}),
    "get_dialers_list": ("", {}),
    "add_to_ivrdialer": ("dialerid*:integer number* name order_id",
                         {"dialerid": 101, "number": "09876543210", "name": "John Doe",
                          "order_id": "ORD12345"}),
    "add_to_ivrdialerbulk": ("dialerid*:integer numbers*:array", {"dialerid": 101, "numbers": [
        {"number": "09876543210", "name": "John Doe", "order_id": "ORD001"},
        {"number": "09876543211", "name": "Jane Smith", "order_id": "ORD002"}]}),
    "change_dialer_status": ("dialerid*:integer status*", {"dialerid": 102, "status": "off"}),
    "get_customer_list": ("", {}),
    "create_customer_list": ("listname*", {"listname": "January Campaign 2025"}),
    "create_text_dialer": ("name* did_no* no_of_call*:integer start_time* end_time* "
                           "text_template_id*:integer send_call_flow_id:integer",
                           {"name": "Order Confirmation Dialer", "did_no": "+911143104567",
                            "no_of_call": 5, "start_time": "09:00", "end_time": "18:00",
                            "text_template_id": 101, "send_call_flow_id": 102}),
    "edit_text_dialer": ("id*:integer name did_no no_of_call:integer start_time end_time "
                         "text_template_id:integer", {"id": 102, "name": None, "did_no": None,
                                                      "no_of_call": None, "start_time": None,
                                                      "end_time": None,
                                                      "text_template_id": None}),
    "add_to_dialer": ("dialerid:integer recordList*:array schedule_datetime timezone",
                      {"recordList": [{"number": "09876543210", "name": "John Doe"}]}),
    "dial_by_flow_get": ("did* flow* phone* body",
                         {"did": "+911143104567", "flow": "1001", "phone": "09876543210",
                          "body": ""}),
    "dial_by_aivoicebot": (
        "Voicechat_id ai_agent_ext connect_ws_after_answer customer_no* schedule_datetime "
        "sip_url sttlanguage_code system_msg text timezone wss_header wss_url",
        {"Voicechat_id": "4821", "ai_agent_ext": "2101", "connect_ws_after_answer": "1",
         "customer_no": "09876543210", "sip_url": "sip:bot@example.com",
         "sttlanguage_code": "en-IN", "system_msg": "You are a helpful assistant.",
         "text": "Hi, this is an automated call.", "wss_header": "Authorization: Bearer xyz",
         "wss_url": "wss://example.com/stream", **SCHEDULE}),
    "dial_by_voicebot": ("Voicechat_id customer_no* did_num schedule_datetime system_msg text "
                         "timezone", {"Voicechat_id": "4821", "customer_no": "09876543210",
                                      "did_num": "+911143104567",
                                      "system_msg": "You are a helpful assistant.",
                                      "text": "Hi, this is an automated call.", **SCHEDULE}),
    "get_voicebot_details": ("voicebot_id* aitraingdata",
                             {"voicebot_id": "4821", "aitraingdata": "0"}),
    "create_text_template": ("template_name* text_content*",
                             {"template_name": "api_welcome",
                              "text_content": "Press 1 to confirm your order."}),
    "text_template_status": ("template_name*", {"template_name": "api_order_confirm"}),
    "get_text_templates": ("", {}),
    "enable_disable_users": ("ext_no* status*", {"ext_no": "2103", "status": "1"}),
    "addagent": ("name* email* phonenumber* password",
                 {"name": "John Doe", "email": "john.doe@company.com",
                  "phonenumber": "9876543210", "password": "SecurePass@123"}),
    "update_agent_did": ("agent_ext did_num agent_id did_no",
                         {"agent_ext": "2101", "did_num": "+911143104567"}),
    "get_agents": ("", {}),
    "get_extension": ("did", {"did": "918044475500"}),
    "get_extension_details": ("ext_no*", {"ext_no": "2101"}),
    "deactivate_group_user": ("ext_no*", {"ext_no": "2103"}),
    "set_extension_expiry": ("ext_no* expiry_date*", {"expiry_date": "2025-12-31",
                                                      "ext_no": "2104"}),
    "create_group_extension": (DID_USER_PARAMS.replace("did_no", "did_no*"),
                               {**DID_USER, "extn_no": "2201"}),
    "call_logs": ("from_date to_date", {}),
    "call_logs_v1": ("from_date to_date", {}),
    "call_logs_by_number": ("phone*", {"phone": "09876543210"}),
    "c2c_logs": ("from_date to_date", {}),
    "c2c_logs_by_number": ("phone*", {"phone": "09876543210"}),
    "dialer_logs": ("dialerid:integer", {"dialerid": 101}),
    "get_call_status": ("logid", {}),
    "update_call_note": ("record_id* call_status*:integer call_type* call_remark",
                         {"record_id": "1000001", "call_status": 1, "call_type": "incoming",
                          "call_remark": "Customer interested"}),
    "all_call_logs": ("last_call_log_id last_c2c_log_id last_dialer_log_id",
                      {"last_call_log_id": "0", "last_c2c_log_id": "0",
                       "last_dialer_log_id": "0"}),
    "add_call_note": ("sip_call_id* note* call_type status",
                      {"sip_call_id": "sbx-1000001@sip.sandbox", "note": "Called back",
                       "call_type": "incoming"}),
    "get_dids": ("", {}),
    "get_did_regions": ("", {}),
    "search_did": ("country_code* region* search_pattern pattern",
                   {"country_code": "IN", "region": "1", "search_pattern": None,
                    "pattern": "4310"}),
    "buy_did": ("country* number*", {"country": "IN", "number": "+911143104501"}),
    "did_search": ("availabilty_level did_region pattern_last_digits size",
                   {"availabilty_level": "1", "did_region": "1", "pattern_last_digits": "4310",
                    "size": "20"}),
    "create_did_user": (DID_USER_PARAMS, DID_USER),
    "create_group_did": (DID_USER_PARAMS.replace("email ", "").replace(" phone", "")
                         .replace("kyc_required", "kyc_required*"),
                         {k: v for k, v in DID_USER.items() if k not in ("email", "phone")}),
    "create_group_did_sip": (DID_USER_PARAMS.replace("kyc_required", "kyc_required*"),
                             DID_USER),
    "did_live_status": ("", {}),
    "agent_did_live_status": ("", {}),
    "save_contact": ("country_code name* number*",
                     {"country_code": "+91", "name": "John Doe", "number": "09876543210"}),
    "get_contact": ("phone*", {"phone": "09876543210"}),
    "agent_get_contact": ("phone*", {"phone": "09876543210"}),
    "get_variables": ("", {}),
    "get_caller_details": ("caller_number*", {"caller_number": "09876543210"}),
    "add_webhook": ("webhookurl* secret_key", {"secret_key": "whsec_abc123",
                                               "webhookurl": "https://yourapp.com/webhooks/ivr"}),
    "key_authentication": ("", {}),
}


def parse_params(spec: str) -> list[tuple[str, str, bool]]:
    """``"did* size:integer"`` -> ``[("did", "string", True), ("size", "integer", False)]``."""
    out = []
    for token in spec.split():
        name, _, kind = token.partition(":")
        out.append((name.rstrip("*"), kind or "string", name.endswith("*")))
    return out
