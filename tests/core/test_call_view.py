"""What the call card says: only steps reached are ticked, in words, timers from event times.

Pure: timelines are built with the real state machine from the event
sequences the sandbox's outcome rules produce (docs/sandbox.md), and ``now``
is a number.
"""

from __future__ import annotations

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
    apply,
    end_locally,
    events_from_live_state,
    expire,
    mark_uncertain,
    new_timeline,
)
from agentapp.core.call_view import CardView, StepKey, StepState, present, status_text

RING, ANSWER, HANGUP = EventKind.RING, EventKind.ANSWER, EventKind.HANGUP
AGENT, CUSTOMER = Leg.AGENT, Leg.CUSTOMER
D, A, F, N, U = (StepState.DONE, StepState.ACTIVE, StepState.FAILED, StepState.NOT_REACHED,
                 StepState.UNKNOWN)


def ev(at: float, kind: EventKind, leg: Leg | None, cause: str = "",
       duration: int | None = None) -> CallEvent:
    return CallEvent("77", kind, leg, at=at, cause=cause, duration_s=duration,
                     event_id=f"77-{at}", source="webhook")


def placed(ext: str = "2101") -> CallTimeline:
    return new_timeline("local-1", ext, "+91 98765 43200", at=100.0, logid="77")


def run(events: list[CallEvent], tl: CallTimeline | None = None) -> CallTimeline:
    tl = tl or placed()
    for event in events:
        tl = apply(tl, event)
    return tl


def texts(view: CardView) -> list[str]:
    return [step.text for step in view.steps]


def states(view: CardView) -> tuple[StepState, ...]:
    return tuple(step.state for step in view.steps)


# The sandbox's outcome rules as the webhook events they send.
AGENT_RANG = [ev(101, RING, AGENT)]
AGENT_ANSWERED = [*AGENT_RANG, ev(104, ANSWER, AGENT), ev(104, RING, CUSTOMER)]
OUTCOMES: dict[str, tuple[list[CallEvent], str, tuple[StepState, ...], str]] = {
    "answered": ([*AGENT_ANSWERED, ev(108, ANSWER, CUSTOMER), ev(150, HANGUP, CUSTOMER,
                                                                 "completed", 42)],
                 "2101", (D, D, D, D), "Call completed"),
    "busy (number ends 00)": ([*AGENT_ANSWERED, ev(106, HANGUP, CUSTOMER, "busy", 0)],
                              "2101", (D, D, F, N), "Customer is busy: try again later"),
    "no answer (ends 99)": ([*AGENT_ANSWERED, ev(129, HANGUP, CUSTOMER, "no_answer", 0)],
                            "2101", (D, D, F, N), "Customer did not answer: try again later"),
    "failed (ends 98)": ([*AGENT_ANSWERED, ev(105, HANGUP, CUSTOMER, "failed", 0)],
                         "2101", (D, D, F, N), "Call failed: check the number and try again"),
    "agent never answers (ext 2105)": (
        [*AGENT_RANG, ev(121, HANGUP, AGENT, "agent_no_answer", 0)], "2105", (D, F, N, N),
        "You did not answer on ext 2105: is your phone registered?"),
    "extension disabled (ext 2103)": (
        [*AGENT_RANG, ev(102, HANGUP, AGENT, "agent_failed", 0)], "2103", (D, F, N, N),
        "Your phone on ext 2103 could not be reached: is it registered, and is the "
        "extension enabled?"),
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_each_sandbox_outcome_shows_exactly_the_steps_reached(outcome: str) -> None:
    events, ext, expected, status = OUTCOMES[outcome]
    view = present(run(events, placed(ext)), now=500.0)
    assert states(view) == expected
    assert view.status == status
    assert not view.ticking
    ticked = [step.label for step in view.steps if step.glyph == "✓"]
    assert ticked == [step.label for step in view.steps if step.state is StepState.DONE]


def test_busy_reads_in_words() -> None:
    view = present(run(OUTCOMES["busy (number ends 00)"][0]), now=500.0)
    assert texts(view) == [
        "Placing the call: accepted",
        "Ringing your phone (ext 2101): answered",
        "Ringing customer: failed, busy",
        "Connected: not reached",
    ]
    assert [s.glyph for s in view.steps] == ["✓", "✓", "✗", "○"]
    assert view.retry_customer and not view.call_again and view.dismiss
    assert view.name == "Call to +91 98765 43200"


def test_agent_no_answer_never_claims_the_customer_rang() -> None:
    view = present(run(OUTCOMES["agent never answers (ext 2105)"][0], placed("2105")), 500.0)
    assert texts(view)[1:] == [
        "Ringing your phone (ext 2105): failed, not answered",
        "Ringing customer: not reached",
        "Connected: not reached",
    ]
    assert view.call_again and not view.retry_customer


def test_completed_call_shows_the_talk_time_the_api_gave() -> None:
    view = present(run(OUTCOMES["answered"][0]), now=999.0)
    assert view.step(StepKey.CONNECTED).text == "Connected: 00:42"


def test_polled_only_outcomes_give_the_same_steps() -> None:
    """No webhooks: one poll that sees the call already ended must not tick more or less."""
    for snapshot, expected in [
        ({"state": "ended", "agent_status": "answered", "customer_status": "busy",
          "call_status": "busy"}, (D, D, F, N)),
        ({"state": "ended", "agent_status": "no_answer", "call_status": "agent_no_answer"},
         (D, F, N, N)),
        ({"state": "ended", "agent_status": "answered", "customer_status": "failed",
          "call_status": "failed"}, (D, D, F, N)),
        ({"state": "ended", "agent_status": "answered", "customer_status": "answered",
          "call_status": "answered", "call_duration": "31"}, (D, D, D, D)),
    ]:
        tl = placed()
        for event in events_from_live_state({"logid": "77", **snapshot}, at=130.0):
            tl = apply(tl, event)
        assert states(present(tl, 200.0)) == expected, snapshot


def test_api_refusal_fails_the_first_step_with_the_servers_reason() -> None:
    pending = new_timeline("local-1", "2101", "+91 98765 43210", at=100.0)
    assert states(present(pending, 100.5)) == (A, N, N, N)
    refused = end_locally(pending, EndReason.REJECTED, 101.0, "Did No. Invalid")
    view = present(refused, 200.0)
    assert texts(view) == [
        "Placing the call: failed, refused",
        "Ringing your phone (ext 2101): not reached",
        "Ringing customer: not reached",
        "Connected: not reached",
    ]
    assert view.status == "IVR Solutions refused the call: Did No. Invalid"
    assert view.call_again


def test_no_answer_from_the_api_says_not_known_and_where_to_look() -> None:
    pending = new_timeline("local-1", "2101", "+91 98765 43210", at=100.0)
    lost = end_locally(pending, EndReason.UNREACHABLE, 110.0)
    view = present(lost, 200.0)
    assert states(view) == (U, U, U, U)
    assert view.step(StepKey.CONNECTED).text == "Connected: not known"
    assert view.status == ("Could not reach IVR Solutions: the call may already be on its "
                           "way, check Recent calls before calling again")
    assert not view.call_again  # it may be ringing already: no second call one click away


def test_lost_track_keeps_what_was_seen_and_does_not_guess_the_rest() -> None:
    ringing = run(AGENT_ANSWERED)
    lost = expire(ringing, 10_000.0, ExpiryLimits())
    assert lost.end_reason is EndReason.UNKNOWN
    assert states(present(lost, 10_001.0)) == (D, D, U, U)
    assert "Recent calls" in status_text(lost)


def test_ringing_time_counts_up_from_the_ring_event() -> None:
    ringing_agent = run(AGENT_RANG)
    assert states(present(ringing_agent, 101.0)) == (D, A, N, N)
    assert present(ringing_agent, 101.0).step(StepKey.AGENT).detail == "ringing 00:00"
    later = present(ringing_agent, 108.4)
    assert later.step(StepKey.AGENT).text == "Ringing your phone (ext 2101): ringing 00:07"
    assert later.ticking
    ringing_customer = run(AGENT_ANSWERED)
    view = present(ringing_customer, 109.0)
    assert states(view) == (D, D, A, N)
    assert view.step(StepKey.CUSTOMER).text == "Ringing customer: ringing 00:05"


def test_connected_timer_starts_at_the_answer_event_not_when_looked_at() -> None:
    connected = run([*AGENT_ANSWERED, ev(108, ANSWER, CUSTOMER)])
    # The card may first render long after the event (a late poll, a busy loop):
    # the timer still counts from the answer.
    assert present(connected, 150.0).step(StepKey.CONNECTED).text == "Connected: 00:42"
    assert states(present(connected, 150.0)) == (D, D, D, A)
    # A late duplicate of the answer (e.g. a poll) does not restart it.
    again = apply(connected, ev(140, ANSWER, CUSTOMER))
    assert present(again, 150.0).step(StepKey.CONNECTED).detail == "00:42"


def test_accepted_but_not_yet_ringing_ticks_only_the_request() -> None:
    tl = placed()
    view = present(tl, 100.2)
    assert states(view) == (D, N, N, N)
    assert not view.ticking


REASONS_WITH_EVENTS = [OUTCOMES[k][0] for k in OUTCOMES]


@given(st.sampled_from(REASONS_WITH_EVENTS), st.data())
def test_never_ticks_a_step_after_one_not_ticked(events: list[CallEvent],
                                                 data: st.DataObject) -> None:
    """Any order, any subset of the events, any moment: ticks form a prefix of the chain,
    and "Connected" is ticked or active only when a customer answer was seen."""
    kept = data.draw(st.lists(st.sampled_from(events), max_size=8))
    now = data.draw(st.floats(min_value=100.0, max_value=1000.0))
    view = present(run(kept), now)
    done = [s.state is StepState.DONE for s in view.steps]
    assert done == sorted(done, reverse=True)
    connected = view.step(StepKey.CONNECTED).state
    answered = any(e.kind is ANSWER and e.leg is CUSTOMER for e in kept) or any(
        e.kind is HANGUP and e.cause == "completed" for e in kept)
    assert (connected in (StepState.DONE, StepState.ACTIVE)) == answered
    # A hangup on the customer leg proves your phone was answered; nothing proves more.
    if any(e.kind is HANGUP and e.leg is CUSTOMER for e in kept):
        assert view.step(StepKey.AGENT).state is StepState.DONE
    for step in view.steps:
        assert step.text.startswith(step.label + ": ") and step.detail


@pytest.mark.parametrize("reason", list(EndReason))
def test_every_end_reason_has_a_status_and_one_stopping_step(reason: EndReason) -> None:
    for events in ([], AGENT_RANG, AGENT_ANSWERED):
        tl = end_locally(run(events), reason, 200.0)
        view = present(tl, 300.0)
        assert view.status
        stopped = [s for s in view.steps if s.state in (StepState.FAILED, StepState.UNKNOWN)]
        if reason is EndReason.COMPLETED:
            assert not stopped
        else:
            assert stopped, (reason, events)
        assert not any(s.state is StepState.ACTIVE for s in view.steps)


def test_steps_are_a_fixed_chain() -> None:
    keys = [step.key for step in present(placed(), 100.0).steps]
    assert keys == [StepKey.PLACING, StepKey.AGENT, StepKey.CUSTOMER, StepKey.CONNECTED]


# -- an answer we could not read (issue 16.1) ---------------------------------------------

def checking_call() -> CallTimeline:
    return mark_uncertain(new_timeline("local-1", "2101", "+91 98765 43210", at=100.0), 101.0)


def test_unreadable_answer_says_the_call_may_be_on_its_way_and_offers_no_retry() -> None:
    view = present(checking_call(), 500.0)
    assert view.status == (
        "No readable answer from IVR Solutions: the call may already be on its way, check "
        "Recent calls before calling again. Checking Recent calls for this call…")
    assert states(view) == (U, U, U, U)
    assert view.step(StepKey.PLACING).text == "Placing the call: not known, checking Recent calls"
    assert view.step(StepKey.CONNECTED).text == "Connected: not known"
    assert not view.call_again and not view.retry_customer and not view.dismiss
    assert not view.ticking
    assert view.hint == "If your phone rings, answer it: that is this call."


def test_a_call_being_looked_up_never_expires_on_its_own() -> None:
    tl = checking_call()
    assert tl.is_live and tl.checking
    assert expire(tl, 100.0 + 10 * 3600, ExpiryLimits()) is tl


def test_found_call_is_followed_like_any_other() -> None:
    tl = replace(checking_call(), logid="77")
    tl = apply(tl, ev(105.0, RING, AGENT))
    assert not tl.checking
    view = present(tl, 106.0)
    assert states(view) == (D, A, N, N)
    assert not view.call_again


def test_not_found_in_the_logs_offers_call_again_and_says_why() -> None:
    message = "No call to +91 98765 43210 since 10:42 in Recent calls: you can call again"
    tl = end_locally(checking_call(), EndReason.NOT_PLACED, 300.0, message)
    assert not tl.checking
    view = present(tl, 301.0)
    assert view.status == message
    assert states(view) == (F, N, N, N)
    assert view.step(StepKey.PLACING).text == "Placing the call: failed, not placed"
    assert view.call_again and view.dismiss


def test_logs_unreadable_too_still_offers_no_retry() -> None:
    tl = end_locally(checking_call(), EndReason.UNREACHABLE, 300.0, "Could not check")
    view = present(tl, 301.0)
    assert not view.call_again
    assert view.status == ("Could not reach IVR Solutions: the call may already be on its "
                           "way, check Recent calls before calling again")


def test_only_a_pending_call_can_become_uncertain() -> None:
    accepted = new_timeline("local-1", "2101", "+91 98765 43210", at=100.0, logid="77")
    assert mark_uncertain(accepted, 101.0) is accepted
