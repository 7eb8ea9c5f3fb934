"""Where a profile's files live, resolved through platformdirs at call time.

Functions, not constants: nothing is read at import, and tests can point the
XDG variables at a temp tree before calling them.
"""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs

APP_DIR_NAME = "agentapp"
_PROFILE_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")


def check_profile(profile: str) -> str:
    """Profiles become directory names: allow only a safe, short charset."""
    if not _PROFILE_RE.fullmatch(profile):
        raise ValueError(
            f"invalid profile name {profile!r}: use 1-64 letters, digits, '_', '.', '-'"
        )
    return profile


def config_dir(profile: str) -> Path:
    return Path(platformdirs.user_config_dir(APP_DIR_NAME)) / check_profile(profile)


def data_dir(profile: str) -> Path:
    return Path(platformdirs.user_data_dir(APP_DIR_NAME)) / check_profile(profile)


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_DIR_NAME))


def settings_file(profile: str) -> Path:
    return config_dir(profile) / "settings.json"
