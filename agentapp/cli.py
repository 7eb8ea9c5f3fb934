"""Command line: what a launch asks for, parsed once into a plain value.

A token is never accepted here (argv is visible to every process of the
user): automation passes it in ``AGENTAPP_TOKEN`` instead.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import dataclass

from agentapp import APP_NAME, __version__

TOKEN_ENV = "AGENTAPP_TOKEN"
RELAY_CREDS_ENV = "AGENTAPP_RELAY_CREDS"
RELAY_SECRET_ENV = "AGENTAPP_RELAY_WEBHOOK_SECRET"


def take_env_token() -> str | None:
    """Read ``AGENTAPP_TOKEN`` and remove it from this process's environment.

    Called first thing, before Qt or anything else can start a child process:
    Qt autolaunches ``dbus-launch`` when there is no session bus, and that
    daemon (and any other child) would otherwise inherit the token and keep it
    long after the app has quit. ``os.environ.pop`` also unsets it at C level.
    """
    token = os.environ.pop(TOKEN_ENV, None)
    return token or None


def take_env_relay() -> tuple[str, str]:
    """``AGENTAPP_RELAY_CREDS`` and ``AGENTAPP_RELAY_WEBHOOK_SECRET``, removed from the
    environment for the same reason as the token (``take_env_token``)."""
    return os.environ.pop(RELAY_CREDS_ENV, ""), os.environ.pop(RELAY_SECRET_ENV, "")


@dataclass(frozen=True)
class LaunchRequest:
    target: str | None
    dial: bool
    sandbox: bool
    sandbox_port: int
    api_url: str | None
    extension: str | None
    did: str | None
    profile: str
    check_api: bool
    register_webhook: bool
    relay: tuple[str, ...] = ()
    relay_account: str | None = None
    relay_url: str | None = None
    relay_ca: str | None = None
    store_relay_creds: bool = False
    audio_check: bool = False
    minimized: bool = False
    keyring_helper: bool = False


class _Parser(argparse.ArgumentParser):
    def parse_known_intermixed(self, argv: Sequence[str]) -> argparse.Namespace:
        for arg in argv:
            if arg.split("=", 1)[0].lstrip("-").lower() in ("token", "api-token", "api_token"):
                self.error(
                    f"a token is never accepted on the command line; set {TOKEN_ENV} "
                    "in the environment or sign in from the app"
                )
        return self.parse_intermixed_args(list(argv))


def build_parser() -> _Parser:
    p = _Parser(
        prog="agentapp",
        description=f"{APP_NAME}: click-to-call and call timeline for IVR Solutions agents.",
        epilog=f"The API token comes from the OS keyring (sign in once) or {TOKEN_ENV}.",
    )
    p.add_argument("target", nargs="?", help="number, tel: or callto: URI to dial")
    p.add_argument("--dial", action="store_true", help="dial the target at once")
    p.add_argument("--sandbox", action="store_true", help="demo mode on the built-in sandbox")
    p.add_argument("--sandbox-port", type=int, default=0, metavar="N",
                   help="port of the demo sandbox (default: a free port)")
    p.add_argument("--api-url", metavar="URL", help="API base URL (with AGENTAPP_TOKEN, "
                   "--extension and --did: start signed in without a dialog)")
    p.add_argument("--extension", metavar="EXT", help="agent extension to ring first")
    p.add_argument("--did", metavar="DID", help="caller ID (DID) shown to the customer")
    p.add_argument("--profile", default="default", metavar="NAME",
                   help="separate settings, token and instance (default: default)")
    p.add_argument("--check-api", action="store_true",
                   help="check each API endpoint the app uses and exit")
    p.add_argument("--register-webhook", action="store_true",
                   help="register this app's webhook receiver with the account")
    p.add_argument("--relay", action="append", metavar="NATS_URL",
                   help="take live call events from the team relay's NATS server "
                   "(repeat for a cluster; credentials from the keyring or "
                   f"{RELAY_CREDS_ENV})")
    p.add_argument("--relay-account", metavar="NAME", help="the relay's account name")
    p.add_argument("--relay-ca", metavar="FILE",
                   help="PEM file of the CA that signed the relay's NATS TLS certificates "
                        "(default: the system's CAs)")
    p.add_argument("--relay-url", metavar="URL",
                   help="with --register-webhook: register this relay URL as the "
                   f"account's webhook ({RELAY_SECRET_ENV} = its signing secret)")
    p.add_argument("--store-relay-creds", action="store_true",
                   help="read NATS credentials for the relay from stdin into the keyring "
                   "and exit")
    p.add_argument("--audio-check", action="store_true",
                   help="list audio devices, play a test tone, print JSON and exit")
    p.add_argument("--minimized", action="store_true",
                   help="start in the system tray with the window hidden (Start at login "
                   "uses it); where the desktop has no tray, the window opens as usual")
    # The app's own keyring helper (agentapp.secrets_helper): one JSON request on stdin.
    p.add_argument("--keyring-helper", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--version", action="version", version=f"agentapp {__version__}")
    return p


def parse_launch(argv: Sequence[str]) -> LaunchRequest:
    ns = build_parser().parse_known_intermixed(argv)
    return LaunchRequest(
        target=ns.target,
        dial=ns.dial,
        sandbox=ns.sandbox,
        sandbox_port=ns.sandbox_port,
        api_url=ns.api_url,
        extension=ns.extension,
        did=ns.did,
        profile=ns.profile,
        check_api=ns.check_api,
        register_webhook=ns.register_webhook,
        relay=tuple(u.strip() for arg in ns.relay or () for u in arg.split(",") if u.strip()),
        relay_account=ns.relay_account,
        relay_url=ns.relay_url,
        relay_ca=ns.relay_ca,
        store_relay_creds=ns.store_relay_creds,
        minimized=ns.minimized,
        audio_check=ns.audio_check,
        keyring_helper=ns.keyring_helper,
    )
