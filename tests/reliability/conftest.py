"""Reliability tests that drive the real app reuse the e2e harness (``start_app``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_E2E = Path(__file__).parents[1] / "e2e"
sys.path.insert(0, str(_E2E))  # status_support and friends
_spec = importlib.util.spec_from_file_location("_e2e_conftest", _E2E / "conftest.py")
assert _spec is not None and _spec.loader is not None
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)

start_app = _e2e.start_app
