"""Build (and tear down) the services of one signed-in session.

A session is one server + token + extension + DID. Signing in, signing out
or switching to the demo builds a fresh bundle and closes the old one, so no
service ever holds a stale token or base URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets as pysecrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from datetime import time as dtime

import httpx

from agentapp.api.client import IvrClient
from agentapp.api.coerce import today_ist
from agentapp.api.errors import ApiError
from agentapp.cli import LaunchRequest
from agentapp.core.call import EventKind
from agentapp.core.session import Session
from agentapp.core.urls import is_loopback_url
from agentapp.paths import data_dir
from agentapp.secrets import AsyncSecrets
from agentapp.services.call_lookup import CallLookup
from agentapp.services.call_tracker import CallTracker
from agentapp.services.connectivity import ConnectivityMonitor, ConnState
from agentapp.services.dialing import DialingService
from agentapp.services.disposition_outbox import DispositionOutbox
from agentapp.services.dispositions import Dispositions
from agentapp.services.event_source import (
    EventSource,
    LiveState,
    PollingSource,
    intake_sink,
)
from agentapp.services.event_source_desktop import load_desktop_id
from agentapp.services.history_session import HistoryServices, open_history
from agentapp.services.observable import Observable
from agentapp.services.relay_subscription import RelaySubscription, RelayTarget
from agentapp.services.status import StatusService
from agentapp.services.webhook_link import WebhookLink
from agentapp.services.webhook_receiver import EventIntake, WebhookReceiver
from agentapp.settings import (
    API_PATH_OVERRIDES,
    API_PROBE_INTERVAL_S,
    DIAL_CALLING_HOURS_END,
    DIAL_CALLING_HOURS_START,
    DISPOSITION_REQUIRED,
    HISTORY_BACKFILL_DAYS,
    PHONE_DEFAULT_REGION,
    POP_INCOMING_TRIGGER,
    RELAY_ACCOUNT,
    RELAY_CA_FILE,
    RELAY_NATS_URLS,
    RELAY_WEBHOOK_URL,
    WEBHOOK_HOST,
    WEBHOOK_PORT,
    WEBHOOK_PUBLIC_URL,
    WEBHOOK_SECRET_ENABLED,
    Settings,
)
from agentapp.startup import StartPlan

log = logging.getLogger(__name__)


def _hhmm(text: str) -> dtime:
    hours, minutes = text.split(":")
    return dtime(int(hours), int(minutes))


@dataclass(frozen=True)
class SessionClock:
    """Where one session reads the time: the system's in the app, a pinned one in tests.

    ``wall`` is epoch seconds (call timelines, the repeat-dial window, webhook
    signature ages); ``local_now`` is the agent's local time of day (calling
    hours); ``account_today`` is the account's calendar day (IST: the call-log
    date ranges the API understands); ``zone`` is the agent's time zone for
    the calendar days of stored calls (None: the machine's), see ``zoned_now``.
    """

    wall: Callable[[], float] = field(default=time.time)
    local_now: Callable[[], datetime] = field(default=datetime.now)
    account_today: Callable[[], date] = field(default=today_ist)
    zone: tzinfo | None = None

    def zoned_now(self) -> datetime:
        """``wall`` as an aware time in ``zone``: which day the history's "today" line
        counts and its date filters mean (stored calls are epoch seconds)."""
        return datetime.fromtimestamp(self.wall(), UTC).astimezone(self.zone)


SYSTEM_CLOCK = SessionClock()


@dataclass
class SessionServices:
    session: Session
    client: IvrClient
    connectivity: ConnectivityMonitor
    status: StatusService
    tracker: CallTracker
    dialing: DialingService
    intake: EventIntake
    lookup: CallLookup
    receiver: WebhookReceiver | None = None
    webhook_url: str = ""
    history: HistoryServices | None = None
    events: EventSource = field(default_factory=PollingSource)
    live: Observable[LiveState] = field(default_factory=lambda: Observable(LiveState.OFF))
    live_problem: Observable[str] = field(default_factory=lambda: Observable(""))
    _unfollow: Callable[[], None] = lambda: None
    dispositions: Dispositions | None = None

    def use_source(self, source: EventSource) -> None:
        """Make ``source`` this session's event source; ``live`` follows its state."""
        self._unfollow()
        self.events = source
        unfollow = (source.state.subscribe(self.live.set),
                    source.problem.subscribe(self.live_problem.set))

        def unfollow_both() -> None:
            for undo in unfollow:
                undo()

        self._unfollow = unfollow_both
        self.live.set(source.state.value)
        self.live_problem.set(source.problem.value)
    clock: SessionClock = SYSTEM_CLOCK

    async def close(self) -> None:
        """Cancel every task this session owns; the shared http client stays open."""
        if self.dispositions is not None:
            await self.dispositions.stop()
        with contextlib.suppress(Exception):
            await self.events.stop()
        if self.receiver is not None:
            with contextlib.suppress(Exception):
                await self.receiver.stop()
        await self.lookup.aclose()
        await self.tracker.aclose()
        if self.history is not None:
            await self.history.close()
        await self.status.stop()
        await self.connectivity.stop()


@dataclass(frozen=True)
class RelayAccess:
    """The team relay this app reads (docs/relay.md); ``creds`` never in a repr or log."""

    urls: tuple[str, ...]
    account: str
    creds: str = field(default="", repr=False)
    webhook_url: str = ""  # the relay's URL, registered only on request
    webhook_secret: str = field(default="", repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)
    ca_file: str = ""  # PEM CA of the relay's NATS servers ("" = the system's CAs)


async def relay_access(launch: LaunchRequest, settings: Settings,
                       env_relay: tuple[str, str], secrets: AsyncSecrets,
                       ) -> RelayAccess | None:
    """The team relay from the launch or Settings; credentials from env or keyring."""
    urls = launch.relay or tuple(
        u.strip() for u in settings.get(RELAY_NATS_URLS).split(",") if u.strip())
    if not urls:
        return None
    creds, webhook_secret = env_relay
    if not creds:
        try:
            creds = await secrets.get_relay_creds(launch.profile) or ""
        except Exception as exc:  # a locked keyring: connect without credentials
            log.warning("relay credentials unavailable (%s)", type(exc).__name__)
    return RelayAccess(
        urls, launch.relay_account or settings.get(RELAY_ACCOUNT), creds,
        launch.relay_url or settings.get(RELAY_WEBHOOK_URL),
        webhook_secret, ca_file=launch.relay_ca or settings.get(RELAY_CA_FILE))


async def build_session(
    plan: StartPlan, http: httpx.AsyncClient, settings: Settings, *, register_webhook: bool,
    profile: str = "default",
    relay: RelayAccess | None = None,
    clock: SessionClock = SYSTEM_CLOCK,
) -> SessionServices:
    """Wire the services for ``plan`` and start their background work.

    With a team relay, live events come from it and this app never registers
    a webhook of its own (the relay is the account's one URL). Without one,
    the webhook receiver starts (and registers itself) automatically only for
    the demo (the plan says so) or a server on loopback that identifies as our
    sandbox; for anything else only on request, since an account has a single
    webhook URL that another integration may be using, and a look-alike server
    must not be able to make us replace it.
    """
    client = IvrClient(plan.base_url, plan.token, http=http,
                       path_overrides=settings.get(API_PATH_OVERRIDES), today=clock.account_today)
    is_sandbox = plan.kind == "demo" or await client.is_sandbox()
    session = Session(plan.base_url, plan.ext_no, plan.did, is_sandbox)
    connectivity = ConnectivityMonitor(client.disposition_statuses,
                                       interval_s=settings.get(API_PROBE_INTERVAL_S),
                                       probe_timeout_s=http.timeout.read or 15.0,
                                       clock=clock.wall)
    status = StatusService(client, connectivity=connectivity, clock=clock.wall)
    tracker = CallTracker(client, clock.wall,
                          webhook_healthy=lambda: services.events.healthy)
    connectivity.health.subscribe(
        lambda health: tracker.set_contact_lost(health.state is ConnState.OFFLINE))
    hours = (_hhmm(settings.get(DIAL_CALLING_HOURS_START)),
             _hhmm(settings.get(DIAL_CALLING_HOURS_END)))
    lookup = CallLookup(client, tracker, clock=clock.wall)
    # The agent may switch extension or caller ID mid-session (the strip's picker).
    dialing = DialingService(client, tracker, status, connectivity, lambda: services.session,
                             clock=clock.wall, calling_hours=hours, now_local=clock.local_now,
                             region=settings.get(PHONE_DEFAULT_REGION), lookup=lookup,
                             wrap_up=lambda: _wrap_up_refusal(services, settings))
    intake = EventIntake(tracker.feed, clock=clock.wall)
    services = SessionServices(session, client, connectivity, status, tracker, dialing, intake,
                               lookup, clock=clock)
    services.history = await open_history(
        client, profile=profile, server="demo" if plan.kind == "demo" else plan.base_url,
        ext_no=plan.ext_no, backfill_days=settings.get(HISTORY_BACKFILL_DAYS),
        incoming_trigger=lambda: settings.get(POP_INCOMING_TRIGGER), fresh=plan.kind == "demo")
    if services.history is not None:
        intake.events.subscribe(services.history.on_event)
        tracker.changed.subscribe(services.history.call_changed)
        services.history.sync.start()
        services.dispositions = await _start_dispositions(services, plan.ext_no)
    connectivity.start()
    status.start()
    if relay is not None:
        if register_webhook and relay.webhook_url:
            await register_relay(services, relay)
        await start_relay(services, relay, profile)
    elif register_webhook or registers_automatically(plan, is_sandbox):
        await start_receiver(services, settings)
    return services


def registers_automatically(plan: StartPlan, is_sandbox: bool) -> bool:
    """Start and register the receiver without asking? Only for the demo, or our own
    sandbox on this machine: a server elsewhere could be a look-alike."""
    return plan.kind == "demo" or (is_sandbox and is_loopback_url(plan.base_url))


async def start_relay(services: SessionServices, relay: RelayAccess,
                      profile: str = "default") -> None:
    """Subscribe to this agent's subjects on the relay (reconnects on its own)."""
    session = services.session
    try:
        desktop = await asyncio.to_thread(load_desktop_id, data_dir(profile))
        target = RelayTarget(relay.urls, relay.account, session.ext_no,
                             (session.did,) if session.did else (), relay.creds, desktop,
                             relay.ca_file)
        source = RelaySubscription(target, intake_sink(services.intake), clock=relay.clock)
    except (ValueError, OSError) as exc:
        log.warning("team relay not used (%s): live call events are off", exc)
        return
    if services.history is not None:  # calls replayed late: fetch their log rows soon
        sync = services.history.sync
        services.intake.history.subscribe(
            lambda e: sync.poke() if e is not None and e.kind is EventKind.HANGUP else None)
    services.use_source(source)
    await source.start()
    log.info("live call events from the team relay (%d server(s))", len(relay.urls))


async def register_events(services: SessionServices, settings: Settings,
                          relay: RelayAccess | None) -> str:
    """Settings' *Register webhook*: the team relay when one is configured, else this
    app's own receiver; returns what to tell the agent."""
    if relay is None:
        return await start_receiver(services, settings)
    if not relay.webhook_url:
        return ("A team relay is configured: set the relay's webhook URL to register "
                "it. This app does not register a webhook of its own.")
    return await register_relay(services, relay)


async def register_relay(services: SessionServices, relay: RelayAccess) -> str:
    """Register the relay's URL as the account's webhook; returns what to tell the agent."""
    try:
        await services.client.register_webhook(relay.webhook_url, relay.webhook_secret)
    except ApiError as exc:
        log.warning("relay webhook not registered (%s)", exc.user_message)
        return f"Relay not registered: {exc.user_message}"
    log.info("registered the team relay as the account's webhook (%s)",
             "signed" if relay.webhook_secret else "unsigned")
    return "Registered: the account's live call events now go to the team relay."


async def _start_dispositions(services: SessionServices, ext_no: str) -> Dispositions:
    """Wrap-up and the outbox (issue 10): needs the store, so only with history."""
    assert services.history is not None
    store = services.history.store
    outbox = DispositionOutbox(services.client, store.dispositions,
                               status_name=lambda status_id: dispositions.status_name(status_id))
    dispositions = Dispositions(services.client, store, outbox, ext_no=ext_no)
    services.tracker.changed.subscribe(dispositions.on_timeline)
    services.intake.events.subscribe(dispositions.on_event)
    await dispositions.start()
    return dispositions


def _wrap_up_refusal(services: SessionServices, settings: Settings) -> str | None:
    if not settings.get(DISPOSITION_REQUIRED) or services.dispositions is None:
        return None
    return services.dispositions.refusal()


async def start_receiver(services: SessionServices, settings: Settings) -> str:
    """Start the local receiver and register its URL; returns what to tell the agent.

    Failing is not fatal: the tracker then follows calls by polling.
    """
    if isinstance(services.events, WebhookLink):
        await services.events.stop()
    if services.receiver is not None:
        await services.receiver.stop()
        services.receiver = None
    secret = pysecrets.token_urlsafe(24) if settings.get(WEBHOOK_SECRET_ENABLED) else None
    receiver = WebhookReceiver(services.intake, host=settings.get(WEBHOOK_HOST),
                               port=settings.get(WEBHOOK_PORT), secret=secret,
                               public_url=settings.get(WEBHOOK_PUBLIC_URL) or None,
                               clock=services.clock.wall)
    link = WebhookLink(receiver, services.client.register_webhook, secret or "")
    refused: ApiError | None = None
    try:
        await link.start()
    except ApiError as exc:  # listening, but not registered: keep trying (below)
        refused = exc
    except OSError as exc:  # cannot listen at all: polling for this session
        reason = str(exc) or type(exc).__name__
        log.warning("webhook receiver not in use (%s); following calls by polling", reason)
        with contextlib.suppress(Exception):
            await link.stop()
        return f"Webhook not registered: {reason} Calls are followed by polling."
    # Registered again after every outage (a restarted server may have forgotten it).
    link.follow(services.connectivity)
    services.receiver = receiver
    services.webhook_url = receiver.url
    services.use_source(link)
    if refused is not None:
        log.warning("registering the webhook failed (%s); following calls by polling and "
                    "trying again", type(refused).__name__)
        link.reregister_soon()  # with backoff, and at once when the connection recovers
        return (f"Webhook not registered yet: {refused.user_message} Calls are followed by "
                "polling until it is; the app keeps trying.")
    if not services.session.is_sandbox:
        log.warning("registered this app's webhook receiver: it replaced the account's "
                    "previous webhook URL (an account has one)")
    log.info("webhook receiver registered (%s)", "signed" if secret else "unsigned")
    return "Registered: live call events now arrive at this app."
