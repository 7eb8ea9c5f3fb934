"""Click-to-call with every guard an agent would otherwise learn about the hard way.

Guards run in a fixed order and each refusal says what to do. The
click-to-call itself is NEVER retried: a request that timed out may still
ring two phones, and a second attempt would ring them twice. The same number
within a few seconds is refused for the same reason (double-clicks, repeated
``tel:`` launches).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime, time
from typing import Protocol

from agentapp.api.errors import (
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    MalformedResponseError,
    ServerError,
)
from agentapp.core.call import CallTimeline, EndReason
from agentapp.core.calling_hours import DEFAULT_END, DEFAULT_START, is_within
from agentapp.core.phone import InvalidNumber, PhoneNumber, did_for_api, parse_dial_target
from agentapp.core.session import Session
from agentapp.services.call_lookup import Wanted
from agentapp.services.connectivity import classify
from agentapp.services.observable import Observable
from agentapp.services.status import AgentInfo, DidInfo

log = logging.getLogger(__name__)

# Said so that nobody reads it as "queued": nothing is sent later by itself.
OFFLINE_REFUSAL = ("Not called: IVR Solutions cannot be reached. Nothing was sent and nothing "
                   "is queued. Call again when the strip at the top says Online.")

REPEAT_WINDOW_S = 5.0
# Failures after which we cannot know whether the platform placed the call: the request
# may have arrived (a timeout, a connection dropped mid-request, a cut-off or garbled
# answer, a 5xx: the server may have failed after starting the call). Only a clear
# refusal (4xx, 429, a refused token) or a request that never left this machine
# (``request_sent`` False: no connection was made) proves that no call was placed.
_NO_USABLE_ANSWER = (ApiTimeoutError, ApiConnectionError, MalformedResponseError, ServerError)


def answer_uncertain(exc: ApiError) -> bool:
    """Might the platform have placed the call although the request failed?"""
    return isinstance(exc, _NO_USABLE_ANSWER) and exc.request_sent


class DialRefused(Exception):
    """The call was not placed; ``code`` for logic, ``message`` for the agent.

    ``about_connection``: the reason is the state of the connection (offline, rate
    limited, server errors), so the message is stale once the connection is back."""

    def __init__(self, code: str, message: str, *, about_connection: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.about_connection = about_connection


class NeedsConfirmation(DialRefused):
    """A question first (outside calling hours, a call already live): dial again with
    ``code`` in ``confirmed`` if the agent says yes. ``title`` heads the question."""

    def __init__(self, code: str, message: str, title: str = "Call anyway?") -> None:
        super().__init__(code, message)
        self.title = title


OUTSIDE_HOURS = "outside_hours"
LIVE_CALL = "live_call"


class CallStartedLike(Protocol):
    @property
    def logid(self) -> str: ...


class ClickToCallApi(Protocol):
    async def click_to_call(self, *, did: str, ext_no: str, phone: str) -> CallStartedLike: ...


class Tracker(Protocol):
    def begin(self, ext_no: str, customer: str) -> CallTimeline: ...
    def track(
        self, logid: str, ext_no: str, customer: str, *, call_id: str | None = None
    ) -> CallTimeline: ...
    def reject(self, call_id: str, message: str, *,
               reason: EndReason = EndReason.REJECTED) -> CallTimeline | None: ...
    def uncertain(self, call_id: str) -> CallTimeline | None: ...
    def live_calls(self) -> list[CallTimeline]: ...


class Lookup(Protocol):
    def start(self, wanted: Wanted) -> None: ...


class StatusLookup(Protocol):
    def agent(self, ext_no: str) -> AgentInfo | None: ...
    def did(self, number: str) -> DidInfo | None: ...


class Connectivity(Protocol):
    @property
    def is_online(self) -> bool: ...
    def report_success(self) -> None: ...
    def report_failure(self, exc: BaseException) -> None: ...


class DialingService:
    def __init__(
        self,
        api: ClickToCallApi,
        tracker: Tracker,
        status: StatusLookup,
        connectivity: Connectivity,
        session: Callable[[], Session | None],
        clock: Callable[[], float],
        calling_hours: tuple[time, time] = (DEFAULT_START, DEFAULT_END),
        now_local: Callable[[], datetime] = datetime.now,
        region: str = "IN",
        lookup: Lookup | None = None,
        wrap_up: Callable[[], str | None] | None = None,
    ) -> None:
        self._api = api
        self._lookup = lookup
        self._wrap_up = wrap_up  # issue 10: why the last call's disposition must come first
        self._region = region
        self._tracker = tracker
        self._status = status
        self._connectivity = connectivity
        self._session = session
        self._clock = clock
        self._calling_hours = calling_hours
        self._now_local = now_local
        self._in_flight = False
        self._last_dial: tuple[str, float] | None = None
        self.busy: Observable[bool] = Observable(False)

    async def dial(
        self, target: str | PhoneNumber, *, confirmed: Collection[str] = (),
        confirmed_outside_hours: bool = False,
    ) -> CallTimeline:
        """Place one click-to-call; raises ``DialRefused`` (or ``NeedsConfirmation``).

        ``confirmed`` holds the codes of the questions the agent already said yes to
        (``OUTSIDE_HOURS``, ``LIVE_CALL``); ``confirmed_outside_hours`` is the older
        spelling of ``confirmed={OUTSIDE_HOURS}``.
        """
        yes = frozenset(confirmed) | ({OUTSIDE_HOURS} if confirmed_outside_hours else set())
        number, session = self._check(target, yes)
        self._in_flight = True
        self._last_dial = (number.e164, self._clock())
        self.busy.set(True)
        pending = self._tracker.begin(session.ext_no, number.display())
        dialled_at = self._clock()
        try:
            started = await self._api.click_to_call(
                did=did_for_api(session.did), ext_no=session.ext_no, phone=number.for_api()
            )
        except ApiError as exc:
            self._connectivity.report_failure(exc)
            log.info("click-to-call failed at the API: %s", type(exc).__name__)
            if answer_uncertain(exc) and self._lookup is not None:
                # Never "try again" here: the call may be ringing. The card says so and
                # the lookup settles it (follows the call, or offers Call again).
                checking = self._tracker.uncertain(pending.call_id)
                if checking is not None and checking.checking:
                    self._lookup.start(Wanted(pending.call_id, number, session.ext_no,
                                              dialled_at))
                    return checking
            reason = _reason_for(exc)
            detail = (f"The call was not placed: {exc.user_message}"
                      if reason is EndReason.NOT_PLACED else exc.user_message)
            self._tracker.reject(pending.call_id, detail, reason=reason)
            raise DialRefused("api_error", exc.user_message,
                              about_connection=classify(exc) is not None) from exc
        except BaseException:
            # Cancelled mid-request (quitting): the request may have been sent.
            self._tracker.reject(pending.call_id, "The call was interrupted.",
                                 reason=EndReason.UNREACHABLE)
            raise
        finally:
            self._in_flight = False
            self.busy.set(False)
        self._connectivity.report_success()
        return self._tracker.track(
            started.logid, session.ext_no, number.display(), call_id=pending.call_id
        )

    def _check(self, target: str | PhoneNumber,
               confirmed: frozenset[str]) -> tuple[PhoneNumber, Session]:
        """Every guard, in the documented order; returns what the call needs."""
        try:
            number = (target if isinstance(target, PhoneNumber)
                      else parse_dial_target(target, region=self._region))
        except InvalidNumber as exc:
            raise DialRefused("invalid_number", exc.reason) from exc
        session = self._session()
        if session is None:
            raise DialRefused("not_signed_in", "Sign in before placing calls.")
        if not session.ext_no.strip():
            raise DialRefused("no_extension", "Choose your extension under File → Sign in first.")
        if not session.did.strip():
            raise DialRefused("no_did",
                              "Choose a caller-ID number (DID) under File → Sign in first.")
        self._check_line(session)
        refusal = self._wrap_up() if self._wrap_up is not None else None
        if refusal:
            raise DialRefused("disposition_required", refusal)
        self._check_repeat(number)
        if not self._connectivity.is_online:
            raise DialRefused("offline", OFFLINE_REFUSAL, about_connection=True)
        if LIVE_CALL not in confirmed:
            self._check_live_call(number)
        start, end = self._calling_hours
        if OUTSIDE_HOURS not in confirmed and not is_within(self._now_local(), start, end):
            raise NeedsConfirmation(
                OUTSIDE_HOURS,
                f"It is outside calling hours ({start:%H:%M}–{end:%H:%M}). Call anyway?",
                "Call outside calling hours?",
            )
        return number, session

    def _check_live_call(self, number: PhoneNumber) -> None:
        """A second call while one rings or is connected is rarely meant: ask first."""
        live = self._tracker.live_calls()
        if not live:
            return
        current = live[-1]
        if current.checking:
            raise NeedsConfirmation(
                LIVE_CALL,
                f"A call to {current.customer} may already be on its way (the app is "
                f"checking Recent calls for it). Call {number.display()} anyway?",
                "Start a second call?",
            )
        raise NeedsConfirmation(
            LIVE_CALL,
            f"You are on a call with {current.customer} ({current.status_text.lower()}). "
            f"Call {number.display()} anyway?",
            "Start a second call?",
        )

    def _check_line(self, session: Session) -> None:
        agent = self._status.agent(session.ext_no)
        if agent is not None and not agent.enabled:
            raise DialRefused(
                "extension_disabled",
                f"Extension {session.ext_no} is disabled. Ask your admin to enable it.",
            )
        if agent is not None and agent.expired:
            raise DialRefused(
                "extension_expired",
                f"Extension {session.ext_no} has expired. Ask your admin to renew it.",
            )
        did = self._status.did(session.did)
        if did is not None and not did.active:
            raise DialRefused(
                "did_inactive", f"Caller-ID {session.did} is inactive. Choose another DID."
            )

    def _check_repeat(self, number: PhoneNumber) -> None:
        if self._in_flight:
            raise DialRefused("busy", "A call is already being set up. Wait for it to start.")
        if self._last_dial is not None:
            last_number, at = self._last_dial
            if last_number == number.e164 and self._clock() - at < REPEAT_WINDOW_S:
                raise DialRefused(
                    "duplicate", f"{number.display()} was just dialled. Wait a few seconds."
                )


def _reason_for(exc: ApiError) -> EndReason:
    """How the card ends a call whose request failed without a lookup to settle it."""
    if answer_uncertain(exc):
        return EndReason.UNREACHABLE
    if isinstance(exc, _NO_USABLE_ANSWER):
        return EndReason.NOT_PLACED  # no connection was made: the request never left
    return EndReason.REJECTED
