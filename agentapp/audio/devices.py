"""Audio devices: listing them, and choosing one by name with fallback to the default.

PortAudio numbers devices by position, and positions change when a headset is
plugged in, so a choice is remembered by *name*. The agent's chosen device
comes first, then their preferred list; when none of those is present we use
the OS default and say so, and go back to the chosen one when it returns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any, Literal

from agentapp.audio.errors import AudioUnavailable, describe

Kind = Literal["input", "output"]


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    hostapi: str
    kind: Kind
    default: bool
    channels: int
    samplerate: float

    @property
    def label(self) -> str:
        return f"{self.name} ({self.hostapi})" + (" — default" if self.default else "")

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {"name": data.pop("name"), "kind": data.pop("kind"),
                "default": data.pop("default"), **data}


def list_devices(sd: ModuleType) -> list[Device]:
    """Inputs then outputs (a duplex device appears in both). Blocking: run off the UI."""
    try:
        raw = sd.query_devices()
        apis = [str(api["name"]) for api in sd.query_hostapis()]
        default_in, default_out = _defaults(sd)
    except Exception as exc:  # PortAudioError, or a broken host API
        raise AudioUnavailable(describe(exc, "list the audio devices")) from exc
    found: list[Device] = []
    for kind, key, default in (("input", "max_input_channels", default_in),
                               ("output", "max_output_channels", default_out)):
        for info in raw:
            if int(info[key]) > 0:
                found.append(Device(
                    index=int(info["index"]), name=str(info["name"]),
                    hostapi=apis[int(info["hostapi"])] if int(info["hostapi"]) < len(apis)
                    else "?", kind=kind,  # type: ignore[arg-type]
                    default=int(info["index"]) == default, channels=int(info[key]),
                    samplerate=float(info["default_samplerate"])))
    return found


def _defaults(sd: ModuleType) -> tuple[int, int]:
    pair = sd.default.device
    try:
        default_in, default_out = int(pair[0]), int(pair[1])
    except (TypeError, ValueError, IndexError):
        default_in = default_out = -1
    if default_in < 0 or default_out < 0:  # "use PortAudio's default": ask it
        try:
            if default_in < 0:
                default_in = int(sd.query_devices(kind="input")["index"])
        except Exception:
            default_in = -1
        try:
            if default_out < 0:
                default_out = int(sd.query_devices(kind="output")["index"])
        except Exception:
            default_out = -1
    return default_in, default_out


def refresh(sd: ModuleType) -> list[Device]:
    """Re-scan (PortAudio only sees hot-plugged devices after re-initialising).

    Re-initialising stops every open stream, so callers do it only when none is open.
    """
    try:
        sd._terminate()
        sd._initialize()
    except Exception as exc:
        raise AudioUnavailable(describe(exc, "re-scan the audio devices")) from exc
    return list_devices(sd)


@dataclass(frozen=True)
class Choice:
    """The device to use, and why: ``note`` is the sentence the UI shows ("" = as chosen)."""

    device: Device | None
    fell_back: bool
    note: str


def choose(devices: Sequence[Device], kind: Kind, chosen: str,
           preferred: Sequence[str] = ()) -> Choice:
    """Chosen name, then preferred names, then the default, then any device of ``kind``."""
    pool = [d for d in devices if d.kind == kind]
    by_name = {d.name: d for d in pool}
    wanted = [name for name in (chosen, *preferred) if name]
    for position, name in enumerate(wanted):
        if name in by_name:
            note = "" if position == 0 or not chosen else (
                f"“{chosen}” is not connected; using your preferred “{name}”.")
            return Choice(by_name[name], position > 0 and bool(chosen), note)
    default = next((d for d in pool if d.default), pool[0] if pool else None)
    word = "microphone" if kind == "input" else "speaker"
    if default is None:
        return Choice(None, bool(wanted), f"No {word} found.")
    if wanted:
        return Choice(default, True, f"“{wanted[0]}” is not connected; using the system "
                                     f"default {word} “{default.name}”.")
    return Choice(default, False, "")
