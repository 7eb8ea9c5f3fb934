"""Guard: the Qt binding must not leak references to ``None`` through qasync's timers.

PySide6 6.12.0 drops one reference to ``None`` on every ``QObject.killTimer()``;
qasync kills a Qt timer for every asyncio timer it fires, so on CPython < 3.12
(where ``None`` is not immortal) the app died after hours with "Fatal Python
error: none_dealloc". pyproject.toml caps PySide6 for those Pythons; this test
fails on any installed version that has the bug (or a relative of it), so a
future release is checked before the cap is lifted. It runs in a child process
because the failure mode is the interpreter aborting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CYCLES = 20_000

CHILD = f"""
import asyncio, gc, json, sys
import qasync
from PySide6.QtCore import QCoreApplication, QObject

app = QCoreApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)

async def timers(n):
    # asyncio timers, each one a Qt timer started and killed by qasync
    done = 0
    for _ in range(n // 500):
        futures = []
        for _ in range(500):
            f = loop.create_future()
            loop.call_later(0, f.set_result, None)
            futures.append(f)
        await asyncio.gather(*futures)
        done += 500
    return done

gc.collect()
before = sys.getrefcount(None)
fired = loop.run_until_complete(timers({CYCLES}))
gc.collect()
after_qasync = sys.getrefcount(None)
holder = QObject()
for _ in range({CYCLES}):
    holder.killTimer(holder.startTimer(0))
gc.collect()
after_direct = sys.getrefcount(None)
print(json.dumps({{"before": before, "after_qasync": after_qasync,
                  "after_direct": after_direct, "fired": fired}}))
"""


def test_none_refcount_survives_20000_qasync_timer_cycles() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (
        "the Qt binding crashed the interpreter while qasync started and killed "
        f"{CYCLES} timers (PySide6 6.12.0's None refcount leak?):\n{proc.stderr[-2000:]}")
    figures = json.loads(proc.stdout.strip().splitlines()[-1])
    assert figures["fired"] == CYCLES
    # Unrelated objects come and go; a leak per timer would move it by ~CYCLES.
    assert figures["before"] - figures["after_qasync"] < 1_000, figures
    assert figures["before"] - figures["after_direct"] < 1_000, figures
