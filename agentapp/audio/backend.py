"""PortAudio, imported lazily: a machine without it still runs the rest of the app.

``sounddevice`` raises ``OSError`` at import when the PortAudio library is
missing; we turn that (and every PortAudio error) into ``AudioUnavailable``
with a sentence a person can act on.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from agentapp.audio.errors import AudioError, AudioUnavailable, describe

__all__ = ["AudioError", "AudioUnavailable", "describe", "load"]

_MISSING = ("Audio is unavailable: the PortAudio library is not installed "
            "(on Debian/Ubuntu: sudo apt install libportaudio2).")


def load(module: str = "sounddevice") -> ModuleType:
    """Import sounddevice (blocking: call it off the UI thread); AudioUnavailable if absent."""
    try:
        if module == "sounddevice":
            import sounddevice  # a plain import, so PyInstaller bundles it (and its hook)

            return sounddevice
        return importlib.import_module(module)  # tests: stand-ins for a broken install
    except OSError as exc:
        raise AudioUnavailable(_MISSING) from exc
    except ImportError as exc:
        raise AudioUnavailable(f"Audio is unavailable: {exc}.") from exc
