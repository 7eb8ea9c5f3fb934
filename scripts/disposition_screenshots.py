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
from pathlib import Path

from shots_support import out_dir, private_settings_tree, run_demo_per_theme, until

DEMO_SPEED = 40.0


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

    await until(card_form)
    form = card_form()
    assert form is not None
    QTest.keyClick(form.statuses, Qt.Key.Key_3)
    QTest.keyClicks(form.remark, "Asked for a call back after 6 pm")
    await until(lambda: form.state == "draft")
    await asyncio.sleep(0.3)
    suffix = "" if theme == "light" else "-dark"
    window.grab().save(str(out / f"disposition-card{suffix}.png"))

    async with httpx.AsyncClient() as http:  # the next save is refused as invalid
        (await http.post(f"{base}/_sandbox/faults", headers=auth, json={
            "error_rate": 1.0, "error_status": 400, "paths": ["/api/update_call_note"],
            "count": 1})).raise_for_status()
    form.save()
    await until(lambda: form.state == "failed")
    badge = runtime.dispositions.badge
    await until(badge.isVisible)
    outbox_list = runtime.dispositions.open_outbox()
    await until(lambda: outbox_list.items.count() == 1)
    await asyncio.sleep(0.3)
    window.grab().save(str(out / f"disposition-failed{suffix}.png"))
    outbox_list.grab().save(str(out / f"disposition-list{suffix}.png"))
    outbox_list.items.setCurrentRow(0)
    outbox_list.open_button.click()  # Edit and retry: the form in its own window
    await until(lambda: bool(runtime.dispositions._windows))
    form_window = next(iter(runtime.dispositions._windows.values()))
    await until(lambda: form_window.form.state == "failed")
    await asyncio.sleep(0.3)
    form_window.grab().save(str(out / f"disposition-window{suffix}.png"))
    from PySide6.QtWidgets import QMessageBox

    def question() -> QMessageBox | None:
        for widget in runtime._app.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                return widget
        return None

    runtime.request_quit()  # one item failed: the app says so before quitting
    await until(question)
    await asyncio.sleep(0.3)
    box = question()
    assert box is not None
    box.grab().save(str(out / f"disposition-quit{suffix}.png"))
    yes = box.button(QMessageBox.StandardButton.Yes)
    assert yes is not None
    yes.click()


def main() -> int:
    private_settings_tree()
    out = out_dir()
    run_demo_per_theme(shoot, out, profile_prefix="shots-disp")
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
