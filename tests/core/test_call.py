"""The two-leg call state machine: any order, duplicates or gaps give the right end."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentapp.core.call import (
    CallEvent,
    CallTimeline,
    EndReason,
    EventKind,
    ExpiryLimits,
    Leg,
    Phase,
    apply,
    end_locally,
    end_reason_for,
    events_from_live_state,
    expire,
    new_timeline,
)

RING, ANSWER, HANGUP = EventKind.RING, EventKind.ANSWER, EventKind.HANGUP
AGENT, CUSTOMER = Leg.AGENT, Leg.CUSTOMER


def ev(seq: int, kind: EventKind, leg: Leg | None, cause: str = "",
       duration: int | None = None) -> CallEvent:
    return CallEvent(
        "77", kind, leg, at=100.0 + seq, cause=cause, duration_s=duration,
        event_id=f"77-{seq}", source="webhook",
    )  # fmt: skip


def fresh() -> CallTimeline:
    return new_timeline("77", "2101", "+91 98765 43210", at=100.0, logid="77")


def run(events: list[CallEvent], timeline: CallTimeline | None = None) -> CallTimeline:
    tl = timeline or fresh()
    for event in events:
        tl = apply(tl, event)
    return tl


COMPLETED = [
    ev(1, RING, AGENT), ev(2, ANSWER, AGENT), ev(3, RING, CUSTOMER), ev(4, ANSWER, CUSTOMER),
    ev(5, HANGUP, CUSTOMER, "completed", 42),
]  # fmt: skip
SEQUENCES: dict[EndReason, list[CallEvent]] = {
    EndReason.COMPLETED: COMPLETED,
    EndReason.CUSTOMER_BUSY: [*COMPLETED[:3], ev(4, HANGUP, CUSTOMER, "busy", 0)],
    EndReason.CUSTOMER_NO_ANSWER: [*COMPLETED[:3], ev(4, HANGUP, CUSTOMER, "no_answer", 0)],
    EndReason.AGENT_NO_ANSWER: [ev(1, RING, AGENT), ev(2, HANGUP, AGENT, "agent_no_answer", 0)],
    EndReason.AGENT_FAILED: [ev(1, RING, AGENT), ev(2, HANGUP, AGENT, "agent_failed", 0)],
    EndReason.FAILED: [*COMPLETED[:3], ev(4, HANGUP, CUSTOMER, "failed", 0)],
    EndReason.CANCELLED: [ev(1, RING, AGENT), ev(2, HANGUP, AGENT, "cancelled", 0)],
}


def test_happy_path_steps_and_times() -> None:
    tl = fresh()
    phases = []
    for event in COMPLETED:
        tl = apply(tl, event)
        phases.append(tl.phase)
    assert phases == [
        Phase.RINGING_AGENT, Phase.RINGING_CUSTOMER, Phase.RINGING_CUSTOMER, Phase.CONNECTED,
        Phase.ENDED,
    ]  # fmt: skip
    assert tl.end_reason is EndReason.COMPLETED
    assert (tl.agent_answered_at, tl.connected_at, tl.ended_at) == (102.0, 104.0, 105.0)
    assert (tl.agent_ring_at, tl.customer_ring_at, tl.ended_on) == (101.0, 103.0, CUSTOMER)
    assert tl.duration_s == 42
    assert tl.status_text == "Call completed"
    assert [s.text for s in tl.steps] == [
        "Starting the call…", "Ringing your phone", "Ringing the customer", "Connected",
        "Call completed",
    ]  # fmt: skip


def test_labels_are_human() -> None:
    assert EndReason.AGENT_NO_ANSWER.label == "You did not answer"
    assert all(reason.label for reason in EndReason)
    assert all(phase.label for phase in Phase)


def test_customer_answer_alone_means_connected() -> None:
    tl = run([ev(4, ANSWER, CUSTOMER)])
    assert tl.phase is Phase.CONNECTED
    assert tl.agent_answered_at == tl.connected_at == 104.0


def test_hangup_after_end_is_ignored_and_duplicates_are_no_ops() -> None:
    ended = run(SEQUENCES[EndReason.CUSTOMER_BUSY])
    assert apply(ended, ev(9, HANGUP, CUSTOMER, "completed", 99)).end_reason is (
        EndReason.CUSTOMER_BUSY
    )
    assert apply(ended, SEQUENCES[EndReason.CUSTOMER_BUSY][0]) is ended


def test_dtmf_adds_a_step_only() -> None:
    connected = run(COMPLETED[:4])
    tl = apply(connected, replace(ev(6, EventKind.DTMF, CUSTOMER), digits="12"))
    assert tl.phase is Phase.CONNECTED
    assert tl.steps[-1].text == "Keypad: 12"


def test_expiry_per_phase_and_late_truth_corrects_unknown() -> None:
    limits = ExpiryLimits(starting_s=5, ringing_agent_s=10, ringing_customer_s=20, connected_s=60)
    ringing = run([ev(1, RING, AGENT)])
    assert expire(ringing, 101.0 + 9.9, limits) is ringing
    lost = expire(ringing, 101.0 + 10, limits)
    assert (lost.phase, lost.end_reason, lost.ended_at) == (Phase.ENDED, EndReason.UNKNOWN, 111.0)
    assert expire(lost, 10_000.0, limits) is lost
    late = apply(lost, ev(2, HANGUP, AGENT, "agent_no_answer", 0))
    assert late.end_reason is EndReason.AGENT_NO_ANSWER
    assert expire(fresh(), 105.0, limits).end_reason is EndReason.UNKNOWN
    assert expire(run(COMPLETED[:4]), 104.0 + 59, limits).phase is Phase.CONNECTED


def test_end_locally_is_final() -> None:
    rejected = end_locally(fresh(), EndReason.REJECTED, 101.0, "Did No. Invalid")
    assert rejected.status_text == "Did No. Invalid"
    assert run(COMPLETED, rejected).end_reason is EndReason.REJECTED


@pytest.mark.parametrize(
    ("cause", "leg", "answered", "reason"),
    [
        ("no_answer", None, False, EndReason.AGENT_NO_ANSWER),
        ("no_answer", None, True, EndReason.CUSTOMER_NO_ANSWER),
        ("failed", AGENT, False, EndReason.AGENT_FAILED),
        ("failed", None, True, EndReason.FAILED),
        ("answered", None, True, EndReason.COMPLETED),
        ("weird", None, True, EndReason.FAILED),
    ],
)
def test_end_reason_mapping(cause: str, leg: Leg | None, answered: bool, reason: EndReason) -> None:
    assert end_reason_for(cause, leg, answered) is reason


def facts(tl: CallTimeline) -> tuple[object, ...]:
    return (
        tl.phase, tl.end_reason, tl.agent_answered_at, tl.connected_at, tl.ended_at, tl.duration_s,
        tl.agent_ring_at, tl.customer_ring_at, tl.ended_on,
    )  # fmt: skip


@pytest.mark.parametrize("reason", list(SEQUENCES))
def test_every_permutation_ends_the_same(reason: EndReason) -> None:
    sequence = SEQUENCES[reason]
    expected = facts(run(sequence))
    assert expected[1] is reason
    for order in itertools.permutations(sequence):
        assert facts(run(list(order))) == expected


@given(
    st.sampled_from(list(SEQUENCES)),
    st.data(),
)
def test_duplicates_and_omissions(reason: EndReason, data: st.DataObject) -> None:
    sequence = SEQUENCES[reason]
    kept = data.draw(st.lists(st.sampled_from(sequence), max_size=12), label="delivered")
    tl = run(kept)
    canonical = run(sorted(set(kept), key=lambda e: e.at))
    assert facts(tl) == facts(canonical)
    hangups = [e for e in kept if e.kind is HANGUP]
    if hangups:
        assert (tl.phase, tl.end_reason) == (Phase.ENDED, reason)
    else:
        assert tl.phase is not Phase.ENDED
        if any(e.leg is CUSTOMER and e.kind is ANSWER for e in kept):
            assert tl.phase is Phase.CONNECTED
    phases, step = [], fresh()
    for event in kept:
        step = apply(step, event)
        phases.append(step.phase)
    assert phases == sorted(phases)  # never goes backwards


def live(state: str, agent: str = "", customer: str = "", status: str = "",
         duration: str = "0") -> dict[str, str]:
    return {
        "logid": "77", "state": state, "agent_status": agent, "customer_status": customer,
        "call_status": status, "call_duration": duration,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("snapshots", "phase", "reason"),
    [
        ([live("ringing_agent", "ringing")], Phase.RINGING_AGENT, None),
        ([live("ringing_customer", "answered", "ringing")], Phase.RINGING_CUSTOMER, None),
        ([live("connected", "answered", "answered", "", "7")], Phase.CONNECTED, None),
        ([live("ended", "answered", "answered", "answered", "31")], Phase.ENDED,
         EndReason.COMPLETED),
        ([live("ended", "answered", "busy", "busy")], Phase.ENDED, EndReason.CUSTOMER_BUSY),
        ([live("ended", "answered", "no_answer", "no_answer")], Phase.ENDED,
         EndReason.CUSTOMER_NO_ANSWER),
        ([live("ended", "no_answer", "", "agent_no_answer")], Phase.ENDED,
         EndReason.AGENT_NO_ANSWER),
        ([live("ended", "failed", "", "agent_failed")], Phase.ENDED, EndReason.AGENT_FAILED),
        ([live("ended", "failed", "", "failed")], Phase.ENDED, EndReason.AGENT_FAILED),
        ([live("ended", "answered", "failed", "failed")], Phase.ENDED, EndReason.FAILED),
    ],
)  # fmt: skip
def test_polled_states(snapshots: list[dict[str, str]], phase: Phase, reason: EndReason) -> None:
    tl = fresh()
    for i, snap in enumerate(snapshots):
        for event in events_from_live_state(snap, at=200.0 + i):
            tl = apply(tl, event)
    assert (tl.phase, tl.end_reason) == (phase, reason)


def test_polls_are_idempotent_and_merge_with_webhooks() -> None:
    snap = live("connected", "answered", "answered", "", "5")
    tl = run(COMPLETED[:2])
    for event in events_from_live_state(snap, at=110.0):
        tl = apply(tl, event)
    assert tl.phase is Phase.CONNECTED
    assert tl.duration_s == 5
    assert tl.agent_answered_at == 102.0  # the webhook saw it first
    again = tl
    for event in events_from_live_state(snap, at=111.0):
        again = apply(again, event)
    assert facts(again) == facts(tl)
    ended = run(COMPLETED[3:], again)
    assert (ended.end_reason, ended.duration_s) == (EndReason.COMPLETED, 42)


def test_live_state_objects_work_like_mappings() -> None:
    class State:
        logid, state, agent_status, customer_status = "77", "ringing_agent", "ringing", ""
        call_status, call_duration = "", 0

    events = events_from_live_state(State(), at=1.0)
    assert [(e.kind, e.leg, e.source) for e in events] == [(RING, AGENT, "poll")]
