"""A damaged settings file is told to the agent in the window, with where the old one is."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from agentapp.paths import settings_file
from testkit.apps import launch_app, new_profile
from testkit.qt_loop import QtLoop


def test_window_and_sign_in_say_what_was_reset(
        qapp: QApplication, qloop: QtLoop, data_dirs: Path) -> None:
    profile = new_profile("damaged")
    path = settings_file(profile)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"agent/extension": "2101", "agent/did": "+9111')  # truncated

    async def body() -> None:
        app = await launch_app([], profile=profile, env_token="", app=qapp)
        qloop.finalizers.append(app.stop)
        window = app.window
        kept = sorted(path.parent.glob("settings.json.damaged-*"))
        assert len(kept) == 1
        assert window.notice.isVisible()
        assert str(kept[0]) in window.notice.text()
        assert window.notice.accessibleName().startswith("Notice: Your settings file was damaged")
        flow = app.runtime.sign_in
        assert flow is not None and flow.dialog is not None
        assert "Your settings file was damaged" in flow.dialog.message.text()
        flow.dialog.reject()  # opened by the app at start; closed, as the test saw it

    qloop.run(body())
