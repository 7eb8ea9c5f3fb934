"""``python -m agentapp.sandbox`` prints its URL and token, serves, and stops on SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import httpx
import pytest

from agentapp.sandbox import DEMO_TOKEN
from agentapp.sandbox.__main__ import parse_args


def test_cli_serves_and_stops_on_sigint() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "agentapp.sandbox", "--port", "0", "--history", "10",
         "--speed", "50"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        second = proc.stdout.readline().strip()
        assert first.startswith("Sandbox listening on http://127.0.0.1:")
        assert second == f"Demo token: {DEMO_TOKEN}"
        base = first.rsplit(" ", 1)[-1]
        info = httpx.get(base + "/_sandbox/info",
                         headers={"Authorization": f"Bearer {DEMO_TOKEN}"}).json()
        assert info["name"] == "ivr-solutions-sandbox" and info["speed"] == 50
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sandbox_imports_without_qt() -> None:
    """agentapp.sandbox must never import PySide6 (layer rule)."""
    code = ("import sys; sys.modules['PySide6'] = None; "
            "import agentapp.sandbox, agentapp.sandbox.thread, agentapp.sandbox.receiver, "
            "agentapp.sandbox.__main__; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_token_from_the_environment_is_used_and_never_printed() -> None:
    """IVR_SANDBOX_TOKEN keeps a custom token out of argv (and so out of ps)."""
    env = {**os.environ, "IVR_SANDBOX_TOKEN": "env-secret-token-123"}
    argv = [sys.executable, "-m", "agentapp.sandbox", "--port", "0", "--history", "0"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert proc.stdout.readline().strip() == "Demo token: (custom token, not shown)"
        info = base + "/_sandbox/info"
        good = httpx.get(info, headers={"Authorization": "Bearer env-secret-token-123"})
        assert good.status_code == 200
        demo = httpx.get(info, headers={"Authorization": f"Bearer {DEMO_TOKEN}"})
        assert demo.status_code == 405
        assert "env-secret-token-123" not in " ".join(argv)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
        assert "env-secret-token-123" not in out
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_token_sources_and_help(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("IVR_SANDBOX_TOKEN", raising=False)
    assert parse_args([]).token == DEMO_TOKEN
    monkeypatch.setenv("IVR_SANDBOX_TOKEN", " from-env ")
    assert parse_args([]).token == "from-env"
    assert parse_args(["--token", "from-argv"]).token == "from-argv"  # explicit wins
    with pytest.raises(SystemExit):
        parse_args(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "prefer the environment variable IVR_SANDBOX_TOKEN" in help_text
    assert "visible in ps" in help_text


def test_openapi_flag_prints_the_document() -> None:
    out = subprocess.run([sys.executable, "-m", "agentapp.sandbox", "--openapi"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["openapi"].startswith("3.1") and "/api/c2c_post" in doc["paths"]
