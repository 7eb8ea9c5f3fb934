"""Words, icons and tones for the status strip, from the services' plain state.

Kept out of the widgets so the rules ("a disabled extension is red and says
why", "offline says since when and what to do") are testable without a
window. Every pill carries its state three ways (tone, icon, words) and an
accessible name that says it ("API: offline since 10:42").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from agentapp.core.phone import format_did
from agentapp.services.connectivity import ConnState, Health
from agentapp.services.status import AgentInfo, DidInfo, StatusSnapshot

SIGN_IN_PLACE = "File → Sign in to IVR Solutions…"
OK, WARN, BAD, INFO = "✓", "⚠", "✕", "…"
EXPIRY_WARN_DAYS = 14  # amber from two weeks before
EXPIRY_SHOW_DAYS = 30  # the date on the pill itself from a month before


@dataclass(frozen=True)
class PillText:
    text: str
    tone: str  # ok | warn | bad | info
    tooltip: str = ""
    accessible: str = ""  # the pill's accessible name, with its state

    @property
    def shown(self) -> str:
        return self.text


def clock_time(at: float) -> str:
    """Local wall time of an event, as the agent's clock shows it ("10:42")."""
    return datetime.fromtimestamp(at).strftime("%H:%M")


def age(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min ago"
    return f"{seconds // 86400} d ago"


# -- API connection ----------------------------------------------------------------

def connection_pill(health: Health, now: float, interval_s: float) -> PillText:
    since = clock_time(health.since)
    error = ""
    if health.error and health.error_at is not None:
        error = f"\nLast error ({age(now - health.error_at)}): {health.error}"
    if health.state is ConnState.ONLINE:
        return PillText(f"{OK} Online", "ok",
                        f"Connected to IVR Solutions since {since} "
                        f"(checked every {interval_s:g} s).", "API: online")
    if health.state is ConnState.CHECKING:
        return PillText(f"{INFO} Connecting", "info",
                        "Checking the connection to IVR Solutions; this takes at most "
                        f"{interval_s:g} s.", "API: connecting")
    if health.state is ConnState.DEGRADED:
        return PillText(f"{WARN} API degraded", "warn",
                        f"IVR Solutions answers with errors since {since}. Calls may fail; "
                        f"the app keeps checking by itself.{error}",
                        f"API: degraded since {since}")
    if health.state is ConnState.SIGNED_OUT:
        return PillText(f"{BAD} Sign-in needed", "bad",
                        f"IVR Solutions refused this app's token at {since}. Sign in again "
                        f"under {SIGN_IN_PLACE}{error}",
                        f"API: sign-in needed since {since}")
    return PillText(f"{BAD} Offline", "bad",
                    f"Cannot reach IVR Solutions since {since}. The app retries by itself "
                    f"and says Online when it is back; calls cannot be placed until then."
                    f"{error}", f"API: offline since {since}")


def connection_message(health: Health) -> str:
    """The one sentence under the strip while something is wrong ("" when all is well)."""
    since = clock_time(health.since)
    if health.state is ConnState.OFFLINE:
        return (f"Offline since {since}: IVR Solutions cannot be reached. Check your internet "
                "connection; the app reconnects by itself. Calls on your phone go on, but new "
                "calls cannot be placed until the strip says Online.")
    if health.state is ConnState.DEGRADED:
        return (f"IVR Solutions has answered with errors since {since}. Calls may fail: if one "
                "does, check Recent calls before calling again. The app keeps checking.")
    if health.state is ConnState.SIGNED_OUT:
        return ("IVR Solutions refused this app's token: sign in again under "
                f"{SIGN_IN_PLACE} Your typed number is kept.")
    return ""


# -- my extension and caller ID ---------------------------------------------------------

def _fmt_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _unknown_reason(snapshot: StatusSnapshot, offline: bool) -> str:
    if snapshot.error:
        return f"Could not be checked: {snapshot.error}"
    if offline:
        return "Not checked yet: IVR Solutions cannot be reached. It is checked again once online."
    return "Being checked with IVR Solutions."


def _stale_note(snapshot: StatusSnapshot, now: float) -> str:
    if snapshot.error and snapshot.fetched_at is not None:
        return f"\nAs of {clock_time(snapshot.fetched_at)} ({age(now - snapshot.fetched_at)}): " \
               "the last refresh failed."
    return ""


def extension_pill(ext_no: str, agent: AgentInfo | None, *, snapshot: StatusSnapshot | None = None,
                   now: float = 0.0, offline: bool = False, today: date | None = None) -> PillText:
    snap = snapshot or StatusSnapshot()
    pick = "Click to pick another extension."
    if not ext_no:
        return PillText(f"{WARN} No extension", "warn",
                        f"Pick your extension here or under {SIGN_IN_PLACE}",
                        "My extension: none chosen")
    if agent is None:
        if snap.fetched_at is not None and not snap.error:
            return PillText(f"{BAD} Ext {ext_no} not found", "bad",
                            f"Extension {ext_no} is not in this account. {pick}",
                            f"My extension {ext_no}: not in this account")
        return PillText(f"{INFO} Ext {ext_no} · unknown", "info",
                        _unknown_reason(snap, offline), f"My extension {ext_no}: unknown")
    stale = _stale_note(snap, now)
    if not agent.enabled:
        return PillText(f"{BAD} Ext {ext_no} disabled", "bad",
                        f"Your extension is disabled: calls cannot be placed. Ask your admin to "
                        f"enable it, or {pick.lower()}{stale}",
                        f"My extension {ext_no}: disabled")
    expiry: date | None = getattr(agent, "expiry_date", None)
    if agent.expired:
        when = f" on {_fmt_date(expiry)}" if expiry else ""
        return PillText(f"{BAD} Ext {ext_no} expired", "bad",
                        f"Your extension expired{when}: ask your admin to renew it, or "
                        f"{pick.lower()}{stale}", f"My extension {ext_no}: expired{when}")
    who = f" · {agent.name}" if agent.name else ""
    if expiry is not None:
        # The date is always in the tooltip and accessible name; on the pill only when near.
        days = (expiry - today).days if today is not None else None
        soon = days is not None and days <= EXPIRY_WARN_DAYS
        near = days is not None and days <= EXPIRY_SHOW_DAYS
        shown = f" · expires {_fmt_date(expiry)}" if near else ""
        return PillText(f"{WARN if soon else OK} Ext {ext_no}{who}{shown}",
                        "warn" if soon else "ok",
                        f"Enabled; expires on {_fmt_date(expiry)}. Your phone rings first on "
                        f"every call. {pick}{stale}",
                        f"My extension {ext_no}: enabled, expires on {_fmt_date(expiry)}")
    return PillText(f"{OK} Ext {ext_no}{who}", "ok",
                    f"Enabled. Your phone rings first on every call. {pick}{stale}",
                    f"My extension {ext_no}: enabled")


def did_pill(did_no: str, did: DidInfo | None, *, snapshot: StatusSnapshot | None = None,
             now: float = 0.0, offline: bool = False) -> PillText:
    snap = snapshot or StatusSnapshot()
    pick = "Click to pick another caller ID."
    if not did_no:
        return PillText(f"{WARN} No caller ID", "warn",
                        f"Pick a caller ID (DID) here or under {SIGN_IN_PLACE}",
                        "My caller ID: none chosen")
    shown = format_did(did_no)
    if did is None:
        if snap.fetched_at is not None and not snap.error:
            return PillText(f"{BAD} Caller ID {shown} not found", "bad",
                            f"This number is not one of the account's DIDs. {pick}",
                            f"My caller ID {shown}: not in this account")
        return PillText(f"{INFO} Caller ID {shown} · unknown", "info",
                        _unknown_reason(snap, offline), f"My caller ID {shown}: unknown")
    stale = _stale_note(snap, now)
    if not did.active:
        return PillText(f"{BAD} Caller ID {shown} inactive", "bad",
                        f"This caller ID is inactive: calls from it are refused. {pick} "
                        f"Or ask your admin.{stale}", f"My caller ID {shown}: inactive")
    region_name = getattr(did, "region", "")
    region = f" ({region_name})" if region_name else ""
    return PillText(f"{OK} Caller ID {shown}", "ok",
                    f"Active. Customers see this number{region}. {pick}{stale}",
                    f"My caller ID {shown}: active")


# -- history sync -----------------------------------------------------

class SyncState(Protocol):
    """What history sync publishes (services.history_sync.SyncStatus fits)."""

    @property
    def phase(self) -> str: ...  # idle | syncing | retrying | offline
    @property
    def last_synced_at(self) -> int | None: ...
    @property
    def detail(self) -> str: ...


def sync_pill(sync: SyncState, now: float) -> PillText:
    last = sync.last_synced_at
    when = f"last synced {clock_time(last)} ({age(now - last)})" if last else "not synced yet"
    detail = f"\n{sync.detail}" if sync.detail else ""
    if sync.phase == "syncing":
        return PillText(f"{INFO} History syncing", "info", f"Fetching call history; {when}."
                        f"{detail}", f"History sync: syncing, {when}")
    if sync.phase in ("retrying", "offline"):
        return PillText(f"{WARN} History {sync.phase}", "warn",
                        f"History sync is {sync.phase}; it continues by itself. {when}.{detail}",
                        f"History sync: {sync.phase}, {when}")
    if last:
        return PillText(f"{OK} History {clock_time(last)}", "ok", f"Call history {when}.{detail}",
                        f"History sync: {when}")
    return PillText(f"{INFO} History not synced", "info", f"Call history {when}.{detail}",
                    f"History sync: {when}")
