"""Performance benchmarks of the real app against the sandbox (not tests: ``python -m bench``).

Every figure is printed next to a baseline measured in the same run, as a ratio,
so results from different machines can be compared. See docs/performance.md.
"""

from __future__ import annotations

import os

# Before anything imports Qt: the benches never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
