"""core and services must import with PySide6 made unimportable (the layering rule)."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "agentapp.core.phone", "agentapp.core.call", "agentapp.core.events",
    "agentapp.core.calling_hours", "agentapp.core.session", "agentapp.services.observable",
    "agentapp.services.connectivity", "agentapp.services.status",
    "agentapp.services.call_tracker", "agentapp.services.webhook_receiver",
    "agentapp.services.dialing",
]  # fmt: skip


def test_core_and_services_import_without_qt() -> None:
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        f"import importlib\nfor name in {MODULES!r}: importlib.import_module(name)\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules if sys.modules[m])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
