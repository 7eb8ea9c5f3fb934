"""Issue 16.11, the network goes: DNS stops resolving the API's name, and the API server
is killed mid-call and restarted on the same port, against the real window (see
fault_suite_support for the four checks).

DNS: the app talks to ``http://localhost:<port>`` (loopback by name, so plain http
is allowed) and a resolver seam (testkit.resolver) makes ``localhost`` unknown, as
glibc says for a name no server knows; the sandbox's ``close_connections`` knob
ends every kept-alive connection, as a network change does, so each request must
resolve again. Kill: the sandbox process gets SIGKILL while the agent's phone rings and a
new one starts on the same port; the live card says contact was lost and the app
re-registers its webhook by itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fault_suite_support import run_family
from PySide6.QtWidgets import QApplication

from agentapp.core.call import Phase
from agentapp.core.call_view import LOST_CONTACT_TEXT
from agentapp.services.connectivity import ConnState
from agentapp.services.webhook_link import WebhookLink
from testkit.agent_view import readable_texts
from testkit.fault_run import Fault, FaultRig, in_thread
from testkit.qt_loop import QtLoop
from testkit.resolver import FailingResolver, failing_resolver

LONG_RING = "9876543299"  # the sandbox lets it ring 25 s, then "no answer"
LINKS: list[object] = []  # the killed app's event source, checked after the run


def dns_fault(resolver: FailingResolver) -> Fault:
    async def start(rig: FaultRig) -> None:
        await rig.control("POST", "/_sandbox/faults", {"close_connections": True})
        resolver.failing = True
        # The agent dials once the app has noticed (a kept-alive connection may still
        # carry one more request, which is the truth of a network change too).
        assert rig.app is not None
        services = rig.app.services
        await rig.wait(lambda: services.connectivity.state is ConnState.OFFLINE, 10,
                       "the DNS outage noticed")

    async def end(rig: FaultRig) -> None:
        await rig.control("POST", "/_sandbox/faults", {})
        assert resolver.failures > 0, "the app never had to resolve the name"
        resolver.failing = False

    return Fault("DNS failure", start, end, lasts_s=4.0, may_show=frozenset({"offline"}))


async def _kill_mid_call(rig: FaultRig) -> None:
    assert rig.app is not None and rig.sandbox is not None
    window = rig.app.window
    rig.dial(LONG_RING)
    await rig.wait(lambda: any(c.timeline.logid and c.timeline.phase >= Phase.RINGING_AGENT
                               for c in window.cards()), 15, "the agent's phone to ring")
    sandbox = rig.sandbox
    await in_thread(sandbox.kill)


async def _restart(rig: FaultRig) -> None:
    assert rig.app is not None
    services = rig.app.services
    [card] = rig.app.window.cards()
    # While the server is gone: offline, and the live card says so without ending.
    assert services.connectivity.state is ConnState.OFFLINE, services.connectivity.state
    assert card.timeline.is_live and card.timeline.contact_lost
    assert LOST_CONTACT_TEXT in readable_texts(card)
    LINKS.append(services.events)
    await rig.restart_sandbox()


KILL = Fault("server killed mid-call", _kill_mid_call, _restart, lasts_s=3.0,
             may_show=frozenset({"offline"}), dial_during=None, live_call_survives=True)


@pytest.mark.timeout(200)
def test_network_outages(qapp: QApplication, qloop: QtLoop, data_dirs: Path) -> None:
    with failing_resolver("localhost") as resolver:
        rigs = [FaultRig(qapp, api_host="localhost"), FaultRig(qapp, speed=1.0)]
        results = qloop.run(run_family(qapp, [dns_fault(resolver), KILL], rigs), timeout=170)
    dns, kill = results
    assert "offline" in dns.view.states_seen and dns.calls_during == 0
    assert dns.dial_outcome.startswith("refused: Not called: IVR Solutions cannot be reached")
    [link] = LINKS
    assert isinstance(link, WebhookLink) and link.registrations == 2  # registered again
    assert "offline" in kill.view.states_seen
