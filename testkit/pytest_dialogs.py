"""pytest plugin: a test that leaves a dialog open fails, and the dialog is closed.

A question left open (say "Call outside calling hours?") used to sit on top of
every later test. Now it is closed right after the test that left it, which
fails naming it (its own failure, if it already failed, is kept).
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from testkit.dialogs import close_leftover_dialogs


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    try:
        result = yield
    except BaseException:
        close_leftover_dialogs()
        raise
    left = close_leftover_dialogs()
    if left:
        pytest.fail("the test left dialogs open: " + "; ".join(left), pytrace=False)
    return result
