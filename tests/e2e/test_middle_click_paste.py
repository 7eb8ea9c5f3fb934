"""X11's middle-click paste (the selected text) goes through the number finder too.

Only a real X server has a selection clipboard (Qt's offscreen platform has
none), so the panel runs in a child process on the xcb platform (Xvfb in CI).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from testkit.strict import need_service

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json
from PySide6.QtCore import Qt
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from agentapp.ui.dial_panel import DialPanel

app = QApplication([])
clipboard = QGuiApplication.clipboard()
panel = DialPanel("IN")
panel.show()
QTest.qWaitForWindowExposed(panel)
offered = []
panel.numbers_pasted.connect(lambda found: offered.append([f.number.display() for f in found]))
result = {"selection": clipboard.supportsSelection()}

def middle_click(text):
    panel.number.clear()
    clipboard.setText(text, QClipboard.Mode.Selection)
    QTest.mouseClick(panel.number, Qt.MouseButton.MiddleButton)
    app.processEvents()
    return panel.number.text()

result["one"] = middle_click("Ravi Kumar, mob: +91-99887 76655 (after 6pm)")
result["plain"] = middle_click("98765 43210")
result["several_field"] = middle_click("011-4310 4567 or 98765 43210")
result["offered"] = offered
print(json.dumps(result))
"""


def test_middle_click_pastes_the_number_inside_the_selected_text() -> None:
    need_service(bool(os.environ.get("DISPLAY")), "an X server (DISPLAY; Xvfb in CI)")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["selection"] is True
    assert result["one"] == "+91 99887 76655"  # Qt's own paste would insert the whole note
    assert result["plain"] == "98765 43210"  # already a number: pasted as it is
    assert result["several_field"] == ""  # a choice is offered instead
    assert result["offered"] == [["+91 11 4310 4567", "+91 98765 43210"]]
