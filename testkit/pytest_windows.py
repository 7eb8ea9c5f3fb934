"""pytest plugin: the windows a test leaves behind are deleted after its teardown.

The suite shares one QApplication. Widgets a test does not delete (a runtime's
main window with its menus, a dialog built and dropped) stay alive in it, and
every later palette or style-sheet change re-polishes all of them: after the
e2e tests, 2,500 leftover widgets made each theme test take 8 s instead of
30 ms. Deleting what a test created once it is over keeps every test as fast
alone as in the suite. Windows that existed before the test are left alone.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget

_KEY = pytest.StashKey[set[int]]()


def _address(widget: QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


def _top_level_windows() -> list[QWidget]:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return []
    # Popups (menus) with a parent are top-level too; deleting their window deletes them.
    return [w for w in app.topLevelWidgets() if w.parentWidget() is None]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    item.stash[_KEY] = {_address(w) for w in _top_level_windows()}
    return (yield)


@pytest.hookimpl(wrapper=True, trylast=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, object, object]:
    try:
        return (yield)
    finally:
        before = item.stash.get(_KEY, set())
        left = [w for w in _top_level_windows() if _address(w) not in before]
        for window in left:
            window.hide()  # not close(): a close handler may ask a question
            window.deleteLater()
        if left:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
