"""The real (virtual) audio device: a PulseAudio null sink whose monitor is the mic.

``scripts/test.sh`` starts it (``ci_sink``, default sink; its monitor the default
source; ALSA routed to Pulse). Tests marked ``audio`` skip locally without it
and fail in CI strict mode (``need_service``).
"""

from __future__ import annotations

import shutil
import subprocess
from types import ModuleType

import pytest

from testkit.strict import need_service


def pulse_running() -> bool:
    if shutil.which("pactl") is None:
        return False
    result = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=10)
    return result.returncode == 0 and "ci_sink" in result.stdout


@pytest.fixture
def sd() -> ModuleType:
    """sounddevice over the virtual device (PortAudio re-scanned for this test)."""
    need_service(pulse_running(), "PulseAudio null sink ci_sink")
    from agentapp.audio import backend

    module = backend.load()
    module._terminate()
    module._initialize()
    return module
