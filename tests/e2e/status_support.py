"""Helpers for the status e2e tests: a profile with pinned settings, window texts."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from agentapp.settings import (
    API_PROBE_INTERVAL_S,
    DIAL_CALLING_HOURS_END,
    DIAL_CALLING_HOURS_START,
    Setting,
    Settings,
)

SHORT_PROBE_S = 0.4


def pinned_profile(*extra: tuple[Setting[Any], Any], probe_s: float = SHORT_PROBE_S) -> str:
    """A fresh profile whose settings file pins what would make a test depend on time:
    calling hours the whole day (start == end) and a short probe interval."""
    profile = "e2e-status-" + uuid.uuid4().hex[:8]
    settings = Settings.for_profile(profile)
    settings.set(DIAL_CALLING_HOURS_START, "00:00")
    settings.set(DIAL_CALLING_HOURS_END, "00:00")
    settings.set(API_PROBE_INTERVAL_S, probe_s)
    for setting, value in extra:
        settings.set(setting, value)
    settings.save()
    return profile


def visible_texts(root: QWidget) -> list[str]:
    """Every label text the agent can see in ``root`` right now."""
    return [label.text() for label in root.findChildren(QLabel)
            if label.isVisibleTo(root) and label.text()]
