"""The relay is headless: every agentapp.relay module imports with Qt blocked."""

from __future__ import annotations

import json
import subprocess
import sys

from test_no_qt_layers import PROBE, REPO


def test_relay_imports_without_qt() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(["agentapp.relay"])],
                         cwd=REPO, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["failed"] == {}
    assert "agentapp.relay.server" in result["imported"]
