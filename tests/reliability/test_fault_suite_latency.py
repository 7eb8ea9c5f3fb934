"""Issue 16.11, a slow API: every answer 5 s late, and 20 s late, against the real window
(see fault_suite_support for the four checks).

5 s is slow but inside the app's own request timeouts (connect 5 s, read 15 s):
the API is reachable, so the strip stays Online and the call the agent places
goes through. 20 s is past the read timeout: the strip says Offline, and the
call placed meanwhile (the server still acts on it after 20 s) is followed by
the checking card until the lookup finds it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fault_suite_support import run_family
from PySide6.QtWidgets import QApplication

from testkit.fault_run import plan_fault
from testkit.qt_loop import QtLoop

FAULTS = [
    plan_fault("latency 5 s", {"latency_ms": 5000}, lasts_s=8.0,
               may_show=frozenset({"online"})),
    plan_fault("latency 20 s", {"latency_ms": 20000}, lasts_s=22.0,
               may_show=frozenset({"online", "offline"})),
]


@pytest.mark.timeout(200)
def test_slow_api(qapp: QApplication, qloop: QtLoop, data_dirs: Path) -> None:
    results = qloop.run(run_family(qapp, FAULTS), timeout=170)
    slow, slower = results
    assert slow.calls_during == 1 and "offline" not in slow.view.states_seen
    assert "offline" in slower.view.states_seen
