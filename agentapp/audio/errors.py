"""Audio failures as sentences (no PortAudio import here: widgets may render these)."""

from __future__ import annotations


class AudioUnavailable(Exception):
    """Audio cannot be used; ``str(exc)`` is a user-facing sentence."""


class AudioError(Exception):
    """One audio operation failed (device busy, gone, bad format); user-facing text."""


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
