"""Issue 16.7 and 11.2: the API server stops mid-call and comes back on the same port.

Before: the app went online again but never registered its webhook again (0
deliveries afterwards), so calls were followed by 5-s polling only; the card
said "Ringing" for 45 s and then "Lost track of the call". Now: the card says
at once that contact was lost and the call goes on, the app notices the outage
within one probe interval with nothing in flight, comes back by itself,
registers the same receiver again, and deliveries arrive again.
"""

from __future__ import annotations

import asyncio

from status_support import SHORT_PROBE_S, pinned_profile, visible_texts

from agentapp.core.call import Phase
from agentapp.core.call_view import LOST_CONTACT_TEXT
from agentapp.sandbox.config import SandboxConfig
from agentapp.sandbox.thread import SandboxThread
from agentapp.services.connectivity import ConnState
from agentapp.services.event_source import LiveState
from agentapp.services.webhook_link import WebhookLink
from testkit.apps import StartApp
from testkit.qt_loop import QtLoop
from testkit.waiting import wait_until

LONG_RING = "9876543299"  # the sandbox lets it ring 25 s, then "no answer"


def _sandbox(port: int) -> SandboxThread:
    sb = SandboxThread(SandboxConfig(host="127.0.0.1", port=port, seed=5, speed=1.0,
                                     history=10))
    sb.start()
    return sb


def _deliveries_to(sb: SandboxThread, url: str) -> list[dict[str, object]]:
    rows = sb.control("GET", "/_sandbox/deliveries")["data"]
    return [d for d in rows if d["url"] == url]


def test_server_restart_mid_call_reregisters_the_webhook(
        qloop: QtLoop, start_app: StartApp) -> None:
    first = _sandbox(0)
    port = int(first.base_url.rsplit(":", 1)[1])
    running: list[SandboxThread] = [first]

    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile(), extension="2101",
                              did="+911143104567", api_url=first.base_url)
        window, services = app.window, app.services
        link = services.events
        assert isinstance(link, WebhookLink) and link.state.value is LiveState.CONNECTED
        url = services.webhook_url
        await wait_until(lambda: services.connectivity.state is ConnState.ONLINE, 10, "online")

        window.dial.number.setText(LONG_RING)
        window.dial.call_button.click()
        await wait_until(lambda: any(c.timeline.phase >= Phase.RINGING_AGENT
                                     for c in window.cards()), 10, "a live call")
        await wait_until(lambda: services.receiver is not None
                         and services.receiver.deliveries > 0, 10, "a first delivery")
        [card] = window.cards()

        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, first.stop)
        await wait_until(lambda: services.connectivity.state is ConnState.OFFLINE,
                         SHORT_PROBE_S + 5, "the outage noticed with nothing in flight")
        # At once, on the card of the live call, and not ended as "lost track".
        assert card.timeline.is_live and card.timeline.contact_lost
        assert LOST_CONTACT_TEXT in visible_texts(card)
        assert window.status.live.accessibleName() == "Live call events: Live events reconnecting"
        assert not link.healthy  # no confirmed registration, no deliveries since the loss

        second = await loop.run_in_executor(None, _sandbox, port)
        running.append(second)
        await wait_until(lambda: services.connectivity.state is ConnState.ONLINE, 10,
                         "online again by itself")
        await wait_until(lambda: link.state.value is LiveState.CONNECTED, 10, "re-registered")
        assert link.registrations == 2 and link.healthy
        assert second.control("GET", "/_sandbox/info")["webhook_url"] == url
        assert window.status.live.accessibleName() == "Live call events: Live events on"
        assert not card.timeline.contact_lost
        assert LOST_CONTACT_TEXT not in visible_texts(window)
        assert not window.status.message.isVisibleTo(window)

        # An inbound call on the restarted server: its events reach us only by webhook.
        before = services.receiver.deliveries
        await loop.run_in_executor(None, lambda: second.control(
            "POST", "/_sandbox/inbound", {"from": "+919876543210", "did": "+911143104567",
                                          "ext_no": "2101", "outcome": "missed"}))
        await wait_until(lambda: services.receiver.deliveries > before, 15,
                         "deliveries from the restarted server")
        await wait_until(lambda: any(str(r["state"]) == "delivered"
                                     for r in _deliveries_to(second, url)), 10,
                         "the restarted server delivered to our receiver")

    try:
        qloop.run(scenario())
    finally:
        for sb in running:
            sb.stop()


def test_a_refused_first_registration_is_tried_again_by_itself(
        qloop: QtLoop, sandbox: SandboxThread, start_app: StartApp) -> None:
    """Before: one 500 to the first registration left the session polling for good."""
    sandbox.control("POST", "/_sandbox/faults",
                    {"error_rate": 1.0, "paths": ["/api/add_webhook"], "count": 2})

    async def scenario() -> None:
        app = await start_app("--profile", pinned_profile())
        link = app.services.events
        assert isinstance(link, WebhookLink)
        # The first try and the immediate retry were refused; the backoff retry succeeds.
        await wait_until(lambda: link.state.value is LiveState.CONNECTED, 15,
                         "the webhook registered by the app's own retry")
        assert link.registrations == 1
        url = app.services.webhook_url
        assert url
        info = sandbox.control("GET", "/_sandbox/info")
        assert info["webhook_url"] == url
    qloop.run(scenario())
