"""Relay configuration on both sides: CLIs, settings, secrets kept out of argv and reprs,
the relay process itself, and the live-events pill."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from agentapp.cli import parse_launch
from agentapp.composition import RelayAccess
from agentapp.core.events import BadEvent
from agentapp.relay.__main__ import build_parser, config_from_args
from agentapp.relay.config import RelayConfig
from agentapp.relay.natsd import free_port
from agentapp.services.event_source_subjects import (
    desk_filters,
    nats_auth,
    open_envelope,
    route,
)
from agentapp.settings import RELAY_ACCOUNT, RELAY_NATS_URLS, RELAY_WEBHOOK_URL


def test_app_cli_takes_relay_urls_account_and_url() -> None:
    launch = parse_launch(["--relay", "nats://a:4222,nats://b:4222", "--relay",
                           "tls://c:4222", "--relay-account", "acme", "--relay-ca", "/etc/ca.pem",
                           "--register-webhook", "--relay-url", "https://relay.example/hook/x"])
    assert launch.relay == ("nats://a:4222", "nats://b:4222", "tls://c:4222")
    assert (launch.relay_account, launch.relay_url, launch.register_webhook) == (
        "acme", "https://relay.example/hook/x", True)
    assert launch.relay_ca == "/etc/ca.pem"
    assert parse_launch([]).relay == () and parse_launch([]).relay_ca is None


def test_relay_settings_validate_and_hold_no_credentials() -> None:
    assert RELAY_NATS_URLS.is_valid("nats://10.0.0.1:4222, tls://relay:4222")
    assert not RELAY_NATS_URLS.is_valid("http://relay:4222")
    assert RELAY_ACCOUNT.is_valid("acme-1") and not RELAY_ACCOUNT.is_valid("a.b")
    assert RELAY_WEBHOOK_URL.is_valid("") and not RELAY_WEBHOOK_URL.is_valid("relay")
    assert "pw" not in repr(RelayAccess(("nats://x:1",), "acme", "user:pw", "", "whsec"))
    assert "whsec" not in repr(RelayAccess(("nats://x:1",), "acme", "user:pw", "", "whsec"))


def test_relay_cli_reads_secrets_from_the_environment_only() -> None:
    ns = build_parser().parse_args(["--listen", "0.0.0.0:8090", "--nats", "nats://a:1,nats://b:2",
                                    "--nats", "nats://c:3", "--account", "acme",
                                    "--nats-ca", "/etc/nats-ca.pem"])
    config = config_from_args(ns, {"AGENTAPP_RELAY_PATH_TOKEN": "p" * 20,
                                   "AGENTAPP_RELAY_WEBHOOK_SECRET": "whsec-x",
                                   "AGENTAPP_RELAY_NATS_CREDS": "relay:pw"})
    assert config.nats_urls == ("nats://a:1", "nats://b:2", "nats://c:3")
    assert (config.host, config.port, config.webhook_secret) == ("0.0.0.0", 8090, "whsec-x")
    assert "whsec-x" not in repr(config) and "relay:pw" not in repr(config)
    assert config.max_connections == 512 and config.nats_ca_file == "/etc/nats-ca.pem"
    capped = build_parser().parse_args(["--account", "acme", "--max-connections", "100"])
    assert config_from_args(capped, {}).max_connections == 100
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--account", "acme", "--secret", "x"])
    with pytest.raises(ValueError):
        RelayConfig(account="bad.name")
    with pytest.raises(ValueError):
        RelayConfig(account="acme", path_token="short")


def test_routing_and_envelopes() -> None:
    routed = route("acme", {"event": "ring", "logid": "5", "seq": "2", "ext_no": "2101"}, 10.0)
    assert (routed.subject, routed.event_id) == ("ivr.acme.ext.2101", "5-2")
    envelope = open_envelope(routed.data)
    assert (envelope.event_id, envelope.received_at) == ("5-2", 10.0)
    record = route("acme", {"recordid": "5", "did_no": "+91 11 4310 4567"}, 1.0)
    assert (record.subject, record.event_id) == ("ivr.acme.did.911143104567", "record-5")
    no_id = route("acme", {"event": "hangup", "logid": "6"}, 1.0)
    assert no_id.subject == "ivr.acme.unrouted" and no_id.event_id.startswith("sha-")
    assert no_id.event_id == route("acme", {"event": "hangup", "logid": "6"}, 2.0).event_id
    for junk in (b"", b"[]", b'{"v": 2}', b'{"v": 1, "id": "x"}'):
        with pytest.raises(BadEvent):
            open_envelope(junk)
    assert [f.consumer for f in desk_filters("acme", "2101", ("+911143104567",) * 2)] == [
        "desk_2101_1", "desk_2101_1_did_911143104567"]
    assert desk_filters("acme", "2101", slot=4)[0].consumer == "desk_2101_4"
    with pytest.raises(ValueError):
        desk_filters("acme", "2101", slot=5)
    with pytest.raises(ValueError):
        desk_filters("acme", "")
    assert nats_auth("u:p:w") == {"user": "u", "password": "p:w"}
    assert nats_auth("tok") == {"token": "tok"} and nats_auth(" ") == {}


def test_relay_process_prints_its_url_answers_503_without_nats_and_stops_on_sigterm() -> None:
    port = free_port()
    env = {**os.environ, "AGENTAPP_RELAY_PATH_TOKEN": "tok-" + "x" * 20}
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentapp.relay", "--listen", f"127.0.0.1:{port}",
         "--account", "acme", "--nats", f"nats://127.0.0.1:{free_port()}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        assert first.strip() == f"Relay listening on http://127.0.0.1:{port}"
        assert second.strip() == (f"Webhook URL: http://127.0.0.1:{port}/hook/"
                                  "<AGENTAPP_RELAY_PATH_TOKEN>")
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
        assert info.value.code == 503
        assert json.loads(info.value.read())["nats"] == "unavailable"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        assert proc.stderr is not None
        assert "x" * 20 not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
