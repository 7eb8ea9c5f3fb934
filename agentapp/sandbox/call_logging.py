"""Writes a finished simulated call into the log of its category.

c2c -> click-to-call logs; inbound and API one-shots (``outgoing``) -> call logs;
click-connect -> click-connect logs; dialer campaign calls -> dialer logs.
Returns the recording URL (or ``""``) the post-call webhook record carries.
"""

from __future__ import annotations

from .live_call import LiveCall
from .records import c2c_recording_path, call_recording_path
from .world import C2CLog, CallLog, ClickConnectLog, DialerLog, World


def log_finished_call(world: World, call: LiveCall, base_url: str) -> str:
    connected = call.answered_at != ""
    if call.kind == "c2c":
        agent = world.agent_by_ext(call.ext_no)
        world.add_c2c_log(C2CLog(
            call.id, call.did_no, call.agent_no, call.client_no,
            agent.name if agent else "", call.ext_no, call.call_time, call.call_duration,
            call.call_status, connected, call.agent_status == "answered",
            call.customer_status == "answered"))
        return base_url + c2c_recording_path(call.id, call.call_time) if connected else ""
    if call.kind == "inbound":
        world.add_call_log(CallLog(
            call.id, call.did_no, call.client_no, call.agent_no,
            "0" + call.agent_no if connected else "", call.ext_no, call.call_time,
            call.call_duration, call.call_status, "incoming", connected, dtmf_input=call.dtmf))
        return base_url + call_recording_path(call.id, call.call_time) if connected else ""
    if call.kind == "outgoing":
        # No agent: attended_by and outgoing_ext carry the customer, as on softphone
        # outgoing rows (PD's reading); ext_no/agent_no stay empty.
        world.add_call_log(CallLog(
            call.id, call.did_no, call.client_no, "", call.client_no, "", call.call_time,
            call.call_duration, call.call_status, "outgoing", connected, dtmf_input=call.dtmf,
            outgoing_ext=call.client_no))
        return base_url + call_recording_path(call.id, call.call_time) if connected else ""
    if call.kind == "dialer":
        dialer = world.dialers.get(call.dialer_id)
        world.add_dialer_log(DialerLog(
            call.id, call.dialer_id, dialer.name if dialer else "", call.client_no,
            call.call_time, call.call_duration, call.call_status, call.dtmf, 1))
        if dialer is not None:
            dialer.completed += 1
        return ""  # the documented dialer row has no recording_url
    world.add_click_connect_log(ClickConnectLog(
        call.id, call.did_no, call.agent_no, call.client_no, call.call_time,
        call.call_duration, call.call_status))
    return ""
