"""PortAudio, imported lazily: a machine without it still runs the rest of the app.

``sounddevice`` raises ``OSError`` at import when the PortAudio library is
missing; we turn that (and every PortAudio error) into ``AudioUnavailable``
with a sentence a person can act on.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class AudioUnavailable(Exception):
    """Audio cannot be used; ``str(exc)`` is a user-facing sentence."""


class AudioError(Exception):
    """One audio operation failed (device busy, gone, bad format); user-facing text."""


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


def describe(exc: BaseException, what: str) -> str:
    """A one-line message for a PortAudio failure while doing ``what``."""
    text = str(exc).strip() or type(exc).__name__
    lowered = text.lower()
    if "busy" in lowered or "unanticipated host error" in lowered:
        hint = "the device may be busy in another program"
    elif "device unavailable" in lowered:  # ALSA: usually held by another program
        hint = "the device is unavailable (busy in another program, or unplugged)"
    elif "invalid device" in lowered or "no such" in lowered:
        hint = "the device is no longer available (unplugged?)"
    elif "invalid sample rate" in lowered or "invalid number of channels" in lowered:
        hint = "the device does not support this format"
    else:
        hint = ""
    first_line = text.splitlines()[0]
    return f"Could not {what}: {hint or first_line}." if hint else f"Could not {what}: {first_line}"
