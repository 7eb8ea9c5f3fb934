"""Every user setting declared once, stored per profile as a versioned JSON file.

Why JSON and not TOML: the stdlib reads TOML (tomllib) but cannot write it, and
settings are written by the app far more often than edited by hand; JSON keeps
us dependency-free and round-trips exactly. Why not QSettings: this module is
used below the Qt layer (services, tests) and must not import Qt.

Secrets never live here: the API token belongs in the OS keyring
(``agentapp.secrets``); any key that looks like a secret is refused.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import copy
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from agentapp import paths

log = logging.getLogger(__name__)

T = TypeVar("T")

_SECRET_KEY_RE = re.compile(r"token|passw|secret|api_?key|credential|private_?key", re.I)
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class SecretSettingError(ValueError):
    """Raised when code tries to put something secret-looking into settings."""


_BEARER_RE = re.compile(r"^\s*(bearer|basic|token)\s+\S{8,}", re.I)
_MAX_NESTING = 32


def looks_secret(key: str, value: object, _depth: int = 0) -> bool:
    """A key naming a token/password/secret holds a secret, unless it is a flag; so
    does an ``Authorization``-style value ("Bearer …"), at any depth of nesting
    (``{"api/path_overrides": {"token": …}}``). Absurdly deep values count as
    suspect rather than being walked."""
    if _depth > _MAX_NESTING:
        return True
    if bool(_SECRET_KEY_RE.search(key)) and not isinstance(value, bool):
        return True
    if isinstance(value, str):
        return _BEARER_RE.match(value) is not None
    if isinstance(value, dict):
        return any(looks_secret(str(k), v, _depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(looks_secret("", v, _depth + 1) for v in value)
    return False


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: its key, Python type, default, and a human label for the UI."""

    key: str
    type: builtins.type
    default: T
    label: str
    choices: tuple[T, ...] = ()
    check: Callable[[T], bool] | None = None
    explain: Callable[[T], str | None] | None = None  # why a value fails ``check``

    def __post_init__(self) -> None:
        if looks_secret(self.key, self.default):
            raise SecretSettingError(f"{self.key!r} looks like a secret; use the keyring")
        if not self.is_valid(self.default):
            raise ValueError(f"default for {self.key!r} is invalid: {self.default!r}")

    def is_valid(self, value: object) -> bool:
        if self.type is int and isinstance(value, bool):
            return False  # bool is an int subclass; a flag is never a port number
        if not isinstance(value, self.type):
            return False
        if self.choices and value not in self.choices:
            return False
        return self.check is None or self.check(cast(T, value))

    def to_json(self, value: T) -> object:
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        return value

    def from_json(self, raw: object) -> object:
        if self.type is float and isinstance(raw, int) and not isinstance(raw, bool):
            return float(raw)  # JSON writes 10.0 as 10 in some editors
        if self.type is bytes and isinstance(raw, str):
            try:
                return base64.b64decode(raw.encode("ascii"), validate=True)
            except ValueError:
                return raw  # not base64: fails validation, falls back to default
        return raw


def _is_http_url(value: str) -> bool:
    return value.startswith(("http://", "https://")) and len(value) > len("https://")


def _is_url_or_empty(value: str) -> bool:
    return value == "" or _is_http_url(value)


def _is_path_map(value: dict[str, str]) -> bool:
    return _path_map_problem(value) is None


def _path_map_problem(value: dict[str, str]) -> str | None:
    """Why these path overrides can't be used: an unknown endpoint name or a bad path."""
    from agentapp.api.endpoints import ENDPOINTS  # pure data; imported when checked

    unknown = sorted(str(k) for k in value if k not in ENDPOINTS)
    if unknown:
        return ("unknown endpoint name " + ", ".join(repr(n) for n in unknown)
                + " (run 'agentapp --check-api' for the names)")
    bad = sorted(str(k) for k, v in value.items() if not (isinstance(v, str) and v.startswith("/")))
    if bad:
        return "a path must start with '/' (" + ", ".join(repr(n) for n in bad) + ")"
    return None


def _is_digits_or_empty(value: str) -> bool:
    return value == "" or value.isdigit()


def _is_did(value: str) -> bool:
    return value == "" or re.fullmatch(r"\+?\d{3,15}", value) is not None


API_BASE_URL = Setting("api/base_url", str, "https://api.ivrsolutions.in", "API base URL",
                       check=_is_http_url)
API_PATH_OVERRIDES: Setting[dict[str, str]] = Setting(
    "api/path_overrides", dict, {}, "Endpoint path overrides", check=_is_path_map,
    explain=_path_map_problem)
# How often the connection is checked while nothing else talks to the API (also
# the longest an outage can go unnoticed). Not in the Settings dialog; tests pin it.
API_PROBE_INTERVAL_S = Setting("api/probe_interval_s", float, 10.0,
                               "Seconds between connection checks",
                               check=lambda v: 0.05 <= v <= 600)
AGENT_EXTENSION = Setting("agent/extension", str, "", "Your extension",
                          check=_is_digits_or_empty)
AGENT_DID = Setting("agent/did", str, "", "Caller ID (DID)", check=_is_did)
PHONE_DEFAULT_REGION = Setting("phone/default_region", str, "IN", "Default country",
                               check=lambda v: re.fullmatch(r"[A-Z]{2}", v) is not None)
DIAL_TEL_ACTION = Setting("dial/tel_action", str, "prefill", "When a tel: link is opened",
                          choices=("prefill", "dial"))
DIAL_CALLING_HOURS_START = Setting("dial/calling_hours_start", str, "09:00",
                                   "Calling hours start", check=lambda v: bool(_TIME_RE.match(v)))
DIAL_CALLING_HOURS_END = Setting("dial/calling_hours_end", str, "21:00",
                                 "Calling hours end", check=lambda v: bool(_TIME_RE.match(v)))
WEBHOOK_HOST = Setting("webhook/host", str, "127.0.0.1", "Webhook listen address",
                       check=lambda v: v != "")
WEBHOOK_PORT = Setting("webhook/port", int, 0, "Webhook listen port (0 = any free port)",
                       check=lambda v: 0 <= v <= 65535)
WEBHOOK_PUBLIC_URL = Setting("webhook/public_url", str, "", "Public webhook URL",
                             check=_is_url_or_empty)
WEBHOOK_SECRET_ENABLED = Setting("webhook/secret_enabled", bool, True,
                                 "Sign webhooks with a shared secret")
HISTORY_BACKFILL_DAYS = Setting("history/backfill_days", int, 30,
                                "Days of call history to fetch at first sign-in",
                                check=lambda v: 1 <= v <= 365)
POP_INCOMING_TRIGGER = Setting("pop/incoming_trigger", str, "ring",
                               "Show a pop for incoming calls",
                               choices=("ring", "answer", "off"))
POP_CRM_URL_TEMPLATE = Setting("pop/crm_url_template", str, "",
                               "Open in CRM link ({e164}, {national} are replaced)",
                               check=lambda v: v == "" or _is_http_url(v))


def _is_nats_urls(value: str) -> bool:
    urls = [u.strip() for u in value.split(",") if u.strip()]
    return all(u.startswith(("nats://", "tls://")) and len(u) > len("nats://") for u in urls)


def _is_relay_account(value: str) -> bool:
    return re.fullmatch(r"[A-Za-z0-9_-]{0,64}", value) is not None


# The team relay (docs/relay.md). NATS credentials live in the keyring, never here.
RELAY_NATS_URLS = Setting("relay/nats_urls", str, "", "Team relay NATS URLs (comma-separated)",
                          check=_is_nats_urls)
RELAY_ACCOUNT = Setting("relay/account", str, "", "Team relay account name",
                        check=_is_relay_account)
RELAY_CA_FILE = Setting("relay/ca_file", str, "", "Team relay TLS CA file (PEM)")
RELAY_WEBHOOK_URL = Setting("relay/webhook_url", str, "", "Team relay webhook URL to register",
                            check=_is_url_or_empty)


def _is_name_list(value: list[str]) -> bool:
    return all(isinstance(v, str) and v for v in value)


# Audio devices are remembered by name (PortAudio's indexes change on hot-plug);
# "" = the system default. Preferred lists: tried in order when the choice is absent.
AUDIO_INPUT_DEVICE = Setting("audio/input_device", str, "", "Microphone")
AUDIO_OUTPUT_DEVICE = Setting("audio/output_device", str, "", "Speaker")
AUDIO_PREFERRED_INPUTS: Setting[list[str]] = Setting(
    "audio/preferred_inputs", list, [], "Preferred microphones", check=_is_name_list)
AUDIO_PREFERRED_OUTPUTS: Setting[list[str]] = Setting(
    "audio/preferred_outputs", list, [], "Preferred speakers", check=_is_name_list)
DISPOSITION_REQUIRED = Setting("dispositions/require_before_next_call", bool, False,
                               "Require a disposition before the next call")
UI_THEME = Setting("ui/theme", str, "system", "Theme", choices=("system", "light", "dark"))
UI_GEOMETRY = Setting("ui/geometry", bytes, b"", "Window geometry")
# "system" follows the OS locale; read before the first window (agentapp.i18n).
UI_LANGUAGE = Setting("ui/language", str, "system", "Language", choices=("system", "en", "hi"))
APP_FIRST_CHOICE_MADE = Setting("app/first_choice_made", bool, False,
                                "Chose the demo or signed in at first launch")
UI_CLOSE_TO_TRAY = Setting("ui/close_to_tray", bool, True,
                           "Closing the window keeps the app running in the tray")
UI_TOLD_TRAY = Setting("ui/told_tray", bool, False, "Told once where the closed window went")
UI_COMPACT = Setting("ui/compact", bool, False, "Compact sidebar layout")
UI_ON_TOP = Setting("ui/on_top", bool, False, "Keep the window on top of others")
NOTIFY_POP_DESKTOP = Setting("notify/pop_desktop", bool, True,
                             "Desktop notification for a pop-up while the window is hidden")
# Applied by services/autostart.py (an XDG autostart entry, the Windows Run key or a
# macOS LaunchAgent) when settings are saved and at every start.
UI_START_AT_LOGIN = Setting("ui/start_at_login", bool, False,
                            "Start Agent Companion when I sign in to the computer")

ALL_SETTINGS: tuple[Setting[Any], ...] = (
    API_BASE_URL, API_PATH_OVERRIDES, API_PROBE_INTERVAL_S, AGENT_EXTENSION, AGENT_DID,
    PHONE_DEFAULT_REGION,
    DIAL_TEL_ACTION, DIAL_CALLING_HOURS_START, DIAL_CALLING_HOURS_END, WEBHOOK_HOST,
    WEBHOOK_PORT, WEBHOOK_PUBLIC_URL, WEBHOOK_SECRET_ENABLED, HISTORY_BACKFILL_DAYS,
    POP_INCOMING_TRIGGER, POP_CRM_URL_TEMPLATE, RELAY_NATS_URLS, RELAY_ACCOUNT,
    RELAY_CA_FILE, RELAY_WEBHOOK_URL, DISPOSITION_REQUIRED, UI_THEME, UI_GEOMETRY,
    AUDIO_INPUT_DEVICE, AUDIO_OUTPUT_DEVICE, AUDIO_PREFERRED_INPUTS, AUDIO_PREFERRED_OUTPUTS,
    APP_FIRST_CHOICE_MADE, UI_CLOSE_TO_TRAY, UI_TOLD_TRAY, UI_COMPACT, UI_ON_TOP,
    NOTIFY_POP_DESKTOP,
    UI_START_AT_LOGIN,
    UI_LANGUAGE,
)

SCHEMA_KEY = "app/schema_version"

# v0 = the pre-release flat layout (no sections, no version, and it could hold
# the token in plaintext). Upgrading moves keys into sections and drops secrets.
_V0_RENAMES = {
    "base_url": "api/base_url", "extension": "agent/extension", "did": "agent/did",
    "region": "phone/default_region", "tel_action": "dial/tel_action", "theme": "ui/theme",
}


def _upgrade_v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    upgraded: dict[str, Any] = {}
    for key, value in data.items():
        new_key = _V0_RENAMES.get(key, key)
        if looks_secret(new_key, value):
            log.warning("settings upgrade: dropped secret-looking key %r", key)
            continue
        upgraded[new_key] = value
    return upgraded


# UPGRADES[n] turns a version-n dict into version n+1; append, never edit.
UPGRADES: list[Callable[[dict[str, Any]], dict[str, Any]]] = [_upgrade_v0_to_v1]
SCHEMA_VERSION = len(UPGRADES)


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Run every upgrade step from the file's version to SCHEMA_VERSION, in order."""
    version = data.get(SCHEMA_KEY, 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        log.warning("settings: bad schema version %r, treating as 0", version)
        version = 0
    if version > SCHEMA_VERSION:
        log.warning("settings written by a newer app (v%s); keeping what we understand",
                    version)
        return dict(data)
    for step in UPGRADES[version:]:
        data = step({k: v for k, v in data.items() if k != SCHEMA_KEY})
    return {**data, SCHEMA_KEY: max(version, SCHEMA_VERSION)}


@dataclass(frozen=True)
class SettingsDamage:
    """What loading had to reset, and where the damaged file was kept: told to the
    agent in the window, never only to a log they will not read."""

    resets: tuple[str, ...]
    kept_at: Path | None

    def message(self) -> str:
        where = (f" The old file is kept at {self.kept_at}." if self.kept_at is not None
                 else " The old file could not be kept.")
        return "Your settings file was damaged: " + "; ".join(self.resets) + "." + where


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Settings:
    """Typed get/set over one profile's settings file; load/save are blocking file I/O."""

    def __init__(self, path: Path, declarations: Iterable[Setting[Any]] = ALL_SETTINGS, *,
                 clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._declared = {s.key: s for s in declarations}
        self._data: dict[str, Any] = {SCHEMA_KEY: SCHEMA_VERSION}
        self._write_lock = threading.Lock()
        self._clock = clock
        self.damage: SettingsDamage | None = None
        self._saved_listeners: list[Callable[[], None]] = []

    @classmethod
    def for_profile(cls, profile: str) -> Settings:
        return cls(paths.settings_file(profile))

    @property
    def path(self) -> Path:
        return self._path

    @property
    def declarations(self) -> Mapping[str, Setting[Any]]:
        return self._declared

    def get(self, setting: Setting[T]) -> T:
        raw = self._data.get(setting.key, setting.default)
        return cast(T, copy.deepcopy(raw))  # callers may mutate dicts freely

    def set(self, setting: Setting[T], value: T) -> None:
        if looks_secret(setting.key, value):
            raise SecretSettingError(f"refusing to store {setting.key!r}: use the keyring")
        if not setting.is_valid(value):
            raise ValueError(f"invalid value for {setting.key}: {value!r}")
        self._data[setting.key] = copy.deepcopy(value)

    def reset(self, setting: Setting[Any]) -> None:
        self._data.pop(setting.key, None)

    def load(self) -> None:
        """Read, upgrade and validate the file; never raises for a damaged file.

        Anything unreadable (invalid UTF-8, broken or absurdly nested JSON, a
        directory in the file's place) is moved aside under a timestamped name
        and defaults are used; invalid values fall back to their defaults with a
        copy of the file kept aside. ``damage`` then says what and where.
        """
        self.damage = None
        self._data = {SCHEMA_KEY: SCHEMA_VERSION}
        try:
            blob = self._path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            why = "it is a folder, not a file" if self._path.is_dir() else (
                exc.strerror or type(exc).__name__)
            self._report([f"it could not be read ({why}), so every setting is back to its "
                          "default"], move=True)
            return
        try:
            raw = json.loads(blob.decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("the top level is not an object")
        except UnicodeDecodeError:
            self._report(["it is not valid UTF-8 text, so every setting is back to its "
                          "default"], move=True)
            return
        except (ValueError, RecursionError) as exc:
            why = "nested too deeply" if isinstance(exc, RecursionError) else "not valid JSON"
            self._report([f"it is {why}, so every setting is back to its default"], move=True)
            return
        data, resets = self._validated(upgrade(raw))
        self._data = data
        if resets:
            self._report(resets, move=False)

    def _report(self, resets: list[str], *, move: bool) -> None:
        kept = self._keep_aside(move=move)
        self.damage = SettingsDamage(tuple(resets), kept)
        log.warning("settings file %s: %s", self._path, self.damage.message())

    def _keep_aside(self, *, move: bool) -> Path | None:
        """``settings.json.damaged-20261127-021530`` beside the file (moved or copied)."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(self._clock()))
        target = self._path.with_name(f"{self._path.name}.damaged-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = self._path.with_name(f"{self._path.name}.damaged-{stamp}-{n}")
        try:
            if move:
                os.replace(self._path, target)
            else:
                shutil.copy2(self._path, target)
        except OSError as exc:
            log.warning("settings: could not keep the damaged file aside (%s)", exc)
            return None
        return target

    def _validated(self, data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        clean: dict[str, Any] = {}
        resets: list[str] = []
        for key, raw in data.items():
            setting = self._declared.get(key)
            if looks_secret(key, raw):
                resets.append(f"“{key}” looked like a secret and was removed (secrets belong "
                              "in the system keyring)")
                continue
            if setting is None:
                clean[key] = raw  # keep keys from newer versions untouched
                continue
            value = setting.from_json(raw)
            if setting.is_valid(value):
                clean[key] = value
                continue
            why = setting.explain(value) if setting.explain is not None and isinstance(
                value, setting.type) else None
            resets.append(f"“{setting.label}” had an invalid value ({_short(raw)}"
                          + (f": {why}" if why else "") + ") and is back to its default")
        return clean, resets

    def _serialised(self) -> str:
        out: dict[str, object] = {}
        for key, value in self._data.items():
            if looks_secret(key, value):
                raise SecretSettingError(f"refusing to write {key!r} to the settings file")
            setting = self._declared.get(key)
            out[key] = setting.to_json(value) if setting else value
        return json.dumps(out, indent=2, sort_keys=True) + "\n"

    def on_saved(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after every save (from whatever saved: the Settings dialog,
        the window remembering its view...), so effects outside the file follow it."""
        self._saved_listeners.append(listener)

    def _saved(self) -> None:
        for listener in list(self._saved_listeners):
            try:
                listener()
            except Exception:  # one listener's failure must not undo or hide a save
                log.exception("settings: a listener failed after saving")

    def save(self) -> None:
        """Atomic write: a temp file in the same directory, then os.replace."""
        self._write(self._serialised())
        self._saved()

    def _write(self, text: str) -> None:
        with self._write_lock:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=self._path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self._path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    async def aload(self) -> None:
        import asyncio  # not at import: the window shell reads settings before asyncio loads

        await asyncio.get_running_loop().run_in_executor(None, self.load)

    async def asave(self) -> None:
        # Serialise on the loop thread so later set() calls can't race the writer.
        text = self._serialised()
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, self._write, text)
        self._saved()
