"""A private settings/data/state/cache tree, so no run reads or writes the user's."""

from __future__ import annotations

from pathlib import Path

XDG_DIRS = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")


def private_xdg_tree(root: Path, names: tuple[str, ...] = XDG_DIRS) -> dict[str, str]:
    """Create one directory per XDG variable under ``root``; returns the variables to set.

    platformdirs (settings, logs, caches) reads these variables on every call,
    so setting them is enough to redirect the whole app.
    """
    env = {}
    for var in names:
        path = root / var.removeprefix("XDG_").removesuffix("_HOME").removesuffix("_DIR").lower()
        path.mkdir(mode=0o700, exist_ok=True)
        env[var] = str(path)
    return env
