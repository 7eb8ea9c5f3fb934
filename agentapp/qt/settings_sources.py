"""What the Settings dialog shows but does not own, fetched off the UI thread:
the audio devices, the keyring's state and a ``.creds`` file's text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from agentapp.audio import backend
from agentapp.audio.devices import list_devices

CREDS_LIMIT = 64 * 1024  # a NATS .creds file is ~1 KB; anything huge is the wrong file


async def audio_device_names(load: Callable[[], ModuleType] = backend.load
                             ) -> tuple[list[str], list[str]]:
    """(microphones, speakers) by name; AudioUnavailable says why there are none.

    Importing PortAudio and asking it for devices both block: in an executor.
    """
    loop = asyncio.get_running_loop()
    sd = await loop.run_in_executor(None, load)
    devices = await loop.run_in_executor(None, list_devices, sd)
    return ([d.name for d in devices if d.kind == "input"],
            [d.name for d in devices if d.kind == "output"])


class CredsFileError(ValueError):
    """The chosen file is not a credentials file the relay client can use."""


def _read_creds(path: Path) -> str:
    try:
        if path.stat().st_size > CREDS_LIMIT:
            raise CredsFileError(f"{path.name} is too large to be a .creds file.")
        text = path.read_text(encoding="utf-8").strip()
    except UnicodeDecodeError as exc:
        raise CredsFileError(f"{path.name} is not a text file.") from exc
    except OSError as exc:
        raise CredsFileError(f"{path.name} could not be read ({exc.strerror}).") from exc
    if not text:
        raise CredsFileError(f"{path.name} is empty.")
    return text


async def read_creds_file(path: Path) -> str:
    """The file's text (a NATS .creds file, or user:password / a token)."""
    return await asyncio.get_running_loop().run_in_executor(None, _read_creds, path)
