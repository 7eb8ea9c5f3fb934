"""Where each setting shows in the Settings dialog, and in what words.

The declarations in ``agentapp.settings`` say what a value *is* (type, check);
this table says how an agent meets it: its page, label, help, the kind of
editor and its human range, choices in words, and when a change takes effect.
Keys are plain strings so a row may name a setting that is not declared (yet):
such rows are skipped. A declared setting this table does not know is shown on
Advanced under its declaration's label, never silently dropped.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agentapp.settings import Setting


class Applies(enum.Enum):
    """When a saved change takes effect; the words are what the page says."""

    NOW = ""
    RECONNECT = "Applies when you save: the app reconnects to IVR Solutions."
    SIGN_IN = "Applies at next sign-in."
    FIRST_SYNC = "Used the first time an account's history is fetched."
    NEXT_OPEN = "Applies the next time the audio check or a recording opens."
    LINE = "Applies at once when you are signed in with a token; otherwise at next sign-in."
    RESTART = "Applies the next time the app starts."


class Kind(enum.Enum):
    TEXT = "text"
    CHOICE = "choice"
    CHECK = "check"
    NUMBER = "number"
    SECONDS = "seconds"
    TIME = "time"
    COUNTRY = "country"
    LINES = "lines"
    PATH_MAP = "path_map"
    INPUT_DEVICE = "input_device"
    OUTPUT_DEVICE = "output_device"


@dataclass(frozen=True)
class Field:
    """One setting on one page. ``words``: (stored value, what the agent reads)."""

    key: str
    page: str
    label: str
    kind: Kind = Kind.TEXT
    help: str = ""
    section: str = ""
    words: tuple[tuple[Any, str], ...] = ()
    minimum: float = 0
    maximum: float = 0
    suffix: str = ""
    special: str = ""  # what the minimum means, shown instead of it ("Any free port")
    placeholder: str = ""
    problem: str = ""  # what to do when the value is refused, in words
    applies: Applies = Applies.NOW


@dataclass(frozen=True)
class Page:
    name: str
    intro: str
    fields: tuple[Field, ...] = field(default=())


CALLING, POPS, AUDIO, NOTIFY, WINDOW, ACCOUNT, ADVANCED = (
    "Calling", "Pop-ups", "Audio", "Notifications", "Window", "Account", "Advanced")

INTROS: dict[str, str] = {
    CALLING: "How numbers are read and when the app calls.",
    POPS: "The window that shows who is calling, and the call history behind it.",
    AUDIO: "The headset the audio check and recording playback use. Calls themselves ring "
           "on your phone or softphone.",
    NOTIFY: "What the app tells you while its window is hidden.",
    WINDOW: "How the window looks and where the app lives when you close it.",
    ACCOUNT: "Your IVR Solutions account and the line you call from.",
    ADVANCED: "For your administrator: live call events, the team relay and API paths.",
}
PAGE_ORDER = (CALLING, POPS, AUDIO, NOTIFY, WINDOW, ACCOUNT, ADVANCED)

URL_PROBLEM = "Enter a web address starting with https:// (or http://)."
URL_OR_EMPTY = "Enter a web address starting with https:// (or http://), or leave it empty."

TABLE: tuple[Field, ...] = (
    # -- Calling ---------------------------------------------------------------
    Field("phone/default_region", CALLING, "Default country", Kind.COUNTRY,
          help="Numbers typed without a country code are read as this country's.",
          applies=Applies.RECONNECT),
    Field("dial/tel_action", CALLING, "When a phone link is clicked", Kind.CHOICE,
          help="A tel: link in your browser or CRM.",
          words=(("prefill", "Fill in the number"), ("dial", "Call at once"))),
    Field("dial/calling_hours_start", CALLING, "Calling hours from", Kind.TIME,
          section="Calling hours",
          help="Outside these hours the app asks before it calls (your computer's time).",
          applies=Applies.RECONNECT),
    Field("dial/calling_hours_end", CALLING, "Calling hours until", Kind.TIME,
          section="Calling hours", applies=Applies.RECONNECT),
    Field("dispositions/require_before_next_call", CALLING,
          "Require a disposition before the next call", Kind.CHECK, section="Wrap-up",
          help="The next call waits until the last answered call has its disposition."),
    # -- Pop-ups -----------------------------------------------------------------
    Field("pop/incoming_trigger", POPS, "Show a pop-up for incoming calls", Kind.CHOICE,
          words=(("ring", "When the phone rings"), ("answer", "When I answer"),
                 ("off", "Never")),
          help="Calls you place show one as soon as they start."),
    Field("pop/crm_url_template", POPS, "Open in CRM link", placeholder=(
          "https://crm.example.com/search?phone={e164}"),
          help="The pop-up's Open in CRM button opens this address. {e164} becomes "
               "the caller's number as %2B919876543210 (+91…, written for an address) and "
               "{national} becomes 9876543210. Empty: no button.",
          problem=URL_OR_EMPTY),
    Field("history/backfill_days", POPS, "Call history to fetch at first sign-in",
          Kind.NUMBER, section="Call history", minimum=1, maximum=365, suffix=" days",
          applies=Applies.FIRST_SYNC),
    # -- Audio -------------------------------------------------------------------
    Field("audio/input_device", AUDIO, "Microphone", Kind.INPUT_DEVICE,
          applies=Applies.NEXT_OPEN),
    Field("audio/output_device", AUDIO, "Speaker", Kind.OUTPUT_DEVICE,
          applies=Applies.NEXT_OPEN),
    Field("audio/preferred_inputs", AUDIO, "Other microphones to try", Kind.LINES,
          section="When the chosen device is unplugged",
          help="One device name per line, tried in order; then the system's default.",
          applies=Applies.NEXT_OPEN),
    Field("audio/preferred_outputs", AUDIO, "Other speakers to try", Kind.LINES,
          section="When the chosen device is unplugged",
          help="One device name per line, tried in order; then the system's default.",
          applies=Applies.NEXT_OPEN),
    # -- Notifications -----------------------------------------------------------
    Field("notify/pop_desktop", NOTIFY, "Desktop notification for a pop-up", Kind.CHECK,
          help="While the window is hidden in the tray, a call that pops also shows a "
               "notification from the tray icon."),
    # -- Window -------------------------------------------------------------------
    Field("ui/theme", WINDOW, "Colours", Kind.CHOICE,
          words=(("system", "Same as the system"), ("light", "Light"), ("dark", "Dark"))),
    # Each language named in itself (docs/translations.md); read before the first window.
    Field("ui/language", WINDOW, "Language", Kind.CHOICE,
          words=(("system", "Same as the system"), ("en", "English"), ("hi", "हिन्दी")),
          applies=Applies.RESTART),
    Field("ui/close_to_tray", WINDOW, "Closing the window keeps the app running in the tray",
          Kind.CHECK, help="Calls and pop-ups still reach you; quit from the tray menu or "
                           "with Ctrl+Q."),
    Field("ui/start_at_login", WINDOW, "Start when I log in to the computer", Kind.CHECK),
    # -- Account --------------------------------------------------------------------
    Field("api/base_url", ACCOUNT, "API address", help=(
          "Where IVR Solutions answers. Change it only when your administrator says so."),
          problem=URL_PROBLEM, applies=Applies.SIGN_IN),
    Field("agent/extension", ACCOUNT, "Your extension", placeholder="e.g. 2101",
          help="Also in the status strip's line picker.",
          problem="Digits only, such as 2101, or leave it empty.", applies=Applies.LINE),
    Field("agent/did", ACCOUNT, "Caller ID (DID)", placeholder="e.g. +911140000000",
          help="The number customers see when you call.",
          problem="A number of 3 to 15 digits, optionally starting with +.",
          applies=Applies.LINE),
    # -- Advanced ---------------------------------------------------------------------
    Field("webhook/host", ADVANCED, "Listen address", section="This app's webhook receiver",
          help="Where this app listens for live call events when it registers its own "
               "webhook (development and the demo).",
          problem="Enter an address to listen on, such as 127.0.0.1.",
          applies=Applies.RECONNECT),
    Field("webhook/port", ADVANCED, "Listen port", Kind.NUMBER,
          section="This app's webhook receiver", minimum=0, maximum=65535,
          special="Any free port", applies=Applies.RECONNECT),
    Field("webhook/public_url", ADVANCED, "Public webhook address",
          section="This app's webhook receiver",
          help="The address IVR Solutions should post to, when it differs from the "
               "listen address (a tunnel or proxy). Empty: the listen address.",
          problem=URL_OR_EMPTY, applies=Applies.RECONNECT),
    Field("webhook/secret_enabled", ADVANCED, "Sign webhooks with a shared secret",
          Kind.CHECK, section="This app's webhook receiver", applies=Applies.RECONNECT),
    Field("relay/nats_urls", ADVANCED, "NATS servers", section="Team relay",
          placeholder="nats://relay.example.com:4222",
          help="Separate several servers with commas. Empty: no team relay.",
          problem="Enter nats:// or tls:// addresses separated by commas, or leave it empty.",
          applies=Applies.RECONNECT),
    Field("relay/account", ADVANCED, "Relay account name", section="Team relay",
          problem="Letters, digits, - and _ only, at most 64.", applies=Applies.RECONNECT),
    Field("relay/ca_file", ADVANCED, "Relay TLS CA file", section="Team relay",
          placeholder="/etc/ssl/relay-ca.pem",
          help="PEM file of the CA that signed the NATS servers' certificates, for tls:// "
               "servers with a private CA. Empty: the system's CAs.",
          applies=Applies.RECONNECT),
    Field("relay/webhook_url", ADVANCED, "Relay webhook address", section="Team relay",
          help="Registered as the account's webhook by Register webhook below.",
          problem=URL_OR_EMPTY, applies=Applies.RECONNECT),
    Field("api/path_overrides", ADVANCED, "API path overrides", Kind.PATH_MAP,
          section="API paths", placeholder="c2c_post = /api/c2c_post",
          help="One per line: endpoint name = /path. Names are listed by Check API "
               "endpoints (agentapp --check-api).", applies=Applies.RECONNECT),
)

# Kept by the app for itself (or chosen elsewhere): never on a page.
INTERNAL = frozenset({
    "ui/geometry", "ui/told_tray", "app/first_choice_made",
    "api/probe_interval_s",  # tests and benches pin it; no agent needs it
    "ui/compact", "ui/on_top",  # View → Compact sidebar / Keep on top, remembered there
})


# A value no agent could type (window geometry as bytes…) is the app's own, even unlisted.
EDITABLE_TYPES = (bool, int, float, str, list, dict)


def _fallback(setting: Setting[Any]) -> Field:
    """A declared setting this table does not know: Advanced, with its own label."""
    kind = (Kind.CHECK if setting.type is bool else Kind.CHOICE if setting.choices
            else Kind.NUMBER if setting.type is int else Kind.SECONDS if setting.type is float
            else Kind.LINES if setting.type is list else Kind.PATH_MAP if setting.type is dict
            else Kind.TEXT)
    words = tuple((c, str(c)) for c in setting.choices)
    return Field(setting.key, ADVANCED, setting.label, kind, section="Other",
                 words=words, minimum=-1_000_000, maximum=1_000_000)


def pages(declared: Mapping[str, Setting[Any]]) -> list[Page]:
    """The pages for these declarations, in order; rows for undeclared keys are skipped."""
    rows = [row for row in TABLE if row.key in declared]
    known = {row.key for row in TABLE}
    rows += [_fallback(s) for key, s in declared.items()
             if key not in known and key not in INTERNAL and s.type in EDITABLE_TYPES]
    return [Page(name, INTROS[name], tuple(r for r in rows if r.page == name))
            for name in PAGE_ORDER]


def shown_fields(declared: Mapping[str, Setting[Any]]) -> dict[str, Field]:
    """Every field on every page, by key."""
    return {f.key: f for page in pages(declared) for f in page.fields}
