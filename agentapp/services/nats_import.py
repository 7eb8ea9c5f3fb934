"""``nats`` for the desktop, without the aiohttp it would load for nothing.

nats-py imports aiohttp at import time for its WebSocket transport (~12 MiB of
memory and ~0.2 s on the UI thread, measured in the signed-in app); the relay
is reached over ``nats://`` / ``tls://`` only. aiohttp is hidden only while
nats is imported, and only when nothing has loaded it yet (the relay and demo
mode's sandbox use it; then it costs nothing more). If a nats-py release needs
aiohttp for more than WebSockets, the import error says so and the test
``tests/services/test_nats_import.py`` fails.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType


def import_nats() -> ModuleType:
    if "nats" in sys.modules or "aiohttp" in sys.modules:
        return importlib.import_module("nats")
    sys.modules["aiohttp"] = None  # type: ignore[assignment]  # "import aiohttp" fails
    try:
        return importlib.import_module("nats")
    finally:
        if "aiohttp" in sys.modules and sys.modules["aiohttp"] is None:
            del sys.modules["aiohttp"]
