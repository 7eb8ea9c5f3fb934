"""Screenshots of wrap-up (issue 10) from the real app in demo mode, light and dark.

``xvfb-run -a -s "-screen 0 1280x800x24" python scripts/disposition_screenshots.py [OUT]``
writes ``disposition-card[-dark].png`` (an ended call's card with the form,
a status picked and a remark typed: a draft) and ``disposition-failed[-dark].png``
(the card after the server refused it, with the badge), ``disposition-list[-dark].png``
(the badge's list), ``disposition-window[-dark].png`` (the form in its own window, as from
a pop, history or the list) and ``disposition-quit[-dark].png`` (the question on quit).
Throw-away profile and settings tree, like scripts/screenshots.py.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
DEMO_SPEED = 40.0


async def _until(predicate: object, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not predicate():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("screenshot scene did not settle")
        await asyncio.sleep(0.05)


async def shoot(runtime: object, theme: str, out: Path) -> None:
    import httpx
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from agentapp.core.call import Phase
    from agentapp.runtime import AppRuntime
    from agentapp.sandbox import DEMO_TOKEN
    from agentapp.settings import DIAL_CALLING_HOURS_END, DIAL_CALLING_HOURS_START, UI_THEME
    from agentapp.ui.disposition_form import DispositionForm
    from agentapp.ui.theme import apply_theme

    assert isinstance(runtime, AppRuntime)
    await asyncio.wait_for(runtime.started.wait(), 20)
    runtime.settings.set(DIAL_CALLING_HOURS_START, "00:00")
    runtime.settings.set(DIAL_CALLING_HOURS_END, "00:00")
    await runtime.restart_session()
    services = runtime.services
    assert services is not None
    base = services.client.base_url
    auth = {"Authorization": f"Bearer {DEMO_TOKEN}"}
    async with httpx.AsyncClient() as http:
        (await http.post(f"{base}/_sandbox/speed", json={"speed": DEMO_SPEED},
                         headers=auth)).raise_for_status()
    runtime.settings.set(UI_THEME, theme)
    apply_theme(runtime._app, theme)
    window = runtime.window
    assert window is not None
    window.resize(980, 760)
    if runtime.sign_in is not None and runtime.sign_in.dialog is not None:
        runtime.sign_in.dialog.reject()
    window.dial.number.setText("098765 43210")
    window.dial.call_button.click()

    def card_form() -> DispositionForm | None:
        for card in window._cards.values():
            if card.timeline.phase is Phase.ENDED:
                form = card.findChild(DispositionForm)
                if form is not None and form.statuses.count():
                    return form
        return None

    await _until(card_form)
    form = card_form()
    assert form is not None
    QTest.keyClick(form.statuses, Qt.Key.Key_3)
    QTest.keyClicks(form.remark, "Asked for a call back after 6 pm")
    await _until(lambda: form.state == "draft")
    await asyncio.sleep(0.3)
    suffix = "" if theme == "light" else "-dark"
    window.grab().save(str(out / f"disposition-card{suffix}.png"))

    async with httpx.AsyncClient() as http:  # the next save is refused as invalid
        (await http.post(f"{base}/_sandbox/faults", headers=auth, json={
            "error_rate": 1.0, "error_status": 400, "paths": ["/api/update_call_note"],
            "count": 1})).raise_for_status()
    form.save()
    await _until(lambda: form.state == "failed")
    badge = runtime.dispositions.badge
    await _until(badge.isVisible)
    outbox_list = runtime.dispositions.open_outbox()
    await _until(lambda: outbox_list.items.count() == 1)
    await asyncio.sleep(0.3)
    window.grab().save(str(out / f"disposition-failed{suffix}.png"))
    outbox_list.grab().save(str(out / f"disposition-list{suffix}.png"))
    outbox_list.items.setCurrentRow(0)
    outbox_list.open_button.click()  # Edit and retry: the form in its own window
    await _until(lambda: bool(runtime.dispositions._windows))
    form_window = next(iter(runtime.dispositions._windows.values()))
    await _until(lambda: form_window.form.state == "failed")
    await asyncio.sleep(0.3)
    form_window.grab().save(str(out / f"disposition-window{suffix}.png"))
    from PySide6.QtWidgets import QMessageBox

    def question() -> QMessageBox | None:
        for widget in runtime._app.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                return widget
        return None

    runtime.request_quit()  # one item failed: the app says so before quitting
    await _until(question)
    await asyncio.sleep(0.3)
    box = question()
    assert box is not None
    box.grab().save(str(out / f"disposition-quit{suffix}.png"))
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes is not None
    yes.click()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    tmp = tempfile.mkdtemp(prefix="agentapp-shots-")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = os.path.join(tmp, var.lower())
    import qasync
    from PySide6.QtWidgets import QApplication

    from agentapp.cli import parse_launch
    from agentapp.runtime import AppRuntime
    from agentapp.single_instance import SingleInstance, instance_name

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    for theme in ("light", "dark"):
        profile = f"shots-disp-{theme}"
        single = SingleInstance(instance_name(profile))
        single.listen()
        runtime = AppRuntime(app, parse_launch(["--sandbox", "--profile", profile]), single,
                             install_hooks=False)
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            shot = loop.create_task(shoot(runtime, theme, out))
            loop.run_until_complete(runtime.run())
            shot.result()
        single.close()
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
