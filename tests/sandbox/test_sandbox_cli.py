"""``python -m agentapp.sandbox`` prints its URL and token, serves, and stops on SIGINT."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx

from agentapp.sandbox import DEMO_TOKEN


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
