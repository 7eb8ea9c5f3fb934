"""What the agent can read in the main window right now, and whether it is one clear state.

"One clear state" is checked the way an agent (or a screen reader) meets the
window: every visible label and button text, every tooltip, every accessible
name and description. It holds when

- the API pill, its accessible name and the one message under the strip say
  the same state (online: no message; offline: "Offline since…"; degraded:
  "…answered with errors since…"; sign-in needed: "…refused this app's token…"),
- nothing shows raw exception text (a Python or httpx class name, a
  traceback, an errno, a JSON parser's complaint, an HTML page),
- no call card offers *Call again* while it is still checking whether the
  call was placed.

``states_seen`` of a :class:`ViewLog` lists each distinct API state in order, so
a test can say which states a fault may show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from agentapp.ui.main_window import MainWindow

# Words no agent should ever read: internals of Python, httpx, aiohttp or json.
RAW_EXCEPTION = re.compile(
    r"Traceback|\b[A-Z]\w*(?:Error|Exception|Timeout)\b|\bhttpx\b|\bhttpcore\b|\baiohttp\b"
    r"|\[Errno|\bErrno\b|Expecting (?:value|property name|',')|line \d+ column \d+"
    r"|char \d+\)|<html|<body|NoneType|object has no attribute|Simulated server error"
    r"|Too Many Requests|status_code|\{\"status\"")

PILL_STATES = {  # the pill's accessible name -> the state it says
    "API: online": "online",
    "API: connecting": "checking",
}
PILL_PREFIXES = {
    "API: offline since ": "offline",
    "API: degraded since ": "degraded",
    "API: sign-in needed since ": "signed_out",
}
MESSAGE_PREFIXES = {
    "offline": "Offline since ",
    "degraded": "IVR Solutions has answered with errors since ",
    "signed_out": "IVR Solutions refused this app's token",
}


def pill_state(window: MainWindow) -> str:
    name = window.status.connection.accessibleName()
    if name in PILL_STATES:
        return PILL_STATES[name]
    for prefix, state in PILL_PREFIXES.items():
        if name.startswith(prefix):
            return state
    return f"unknown: {name!r}"


def readable_texts(root: QWidget) -> list[str]:
    """Everything the agent (or a screen reader) can read in ``root`` now."""
    texts: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        texts.extend((widget.toolTip(), widget.accessibleName(),
                      widget.accessibleDescription()))
    if isinstance(root, MainWindow):
        texts.append(root.statusBar().currentMessage())
    return [t for t in texts if t]


def problems(window: MainWindow) -> list[str]:
    """Why the window does not show one clear state ([] when it does)."""
    found: list[str] = []
    strip = window.status
    state = pill_state(window)
    message = strip.message.text() if strip.message.isVisibleTo(window) else ""
    if state.startswith("unknown"):
        found.append(f"the API pill says {state}")
    elif state in ("online", "checking"):
        if message:
            found.append(f"the pill says {state} but the message says {message!r}")
    elif not message.startswith(MESSAGE_PREFIXES[state]):
        found.append(f"the pill says {state} but the message says {message!r}")
    pill_words = {"online": "Online", "checking": "Connecting", "offline": "Offline",
                  "degraded": "API degraded", "signed_out": "Sign-in needed"}.get(state)
    if pill_words and pill_words not in strip.connection.text():
        found.append(f"the pill's name says {state} but it shows {strip.connection.text()!r}")
    for text in readable_texts(window):
        match = RAW_EXCEPTION.search(text)
        if match:
            found.append(f"raw exception text {match.group(0)!r} in {text[:160]!r}")
    for card in window.cards():
        view = card.view
        if card.timeline.checking and (view.call_again or not card.again_button.isHidden()):
            found.append(f"a card offers Call again while checking: {card.status_text()!r}")
    return found


@dataclass
class ViewLog:
    """Samples of the window: the API states in order and every problem seen."""

    states_seen: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    card_texts: list[str] = field(default_factory=list)
    samples: int = 0

    def sample(self, window: MainWindow) -> None:
        self.samples += 1
        state = pill_state(window)
        if not self.states_seen or self.states_seen[-1] != state:
            self.states_seen.append(state)
        for problem in problems(window):
            if problem not in self.problems:
                self.problems.append(problem)
        for card in window.cards():
            text = card.status_text()
            if not self.card_texts or self.card_texts[-1] != text:
                self.card_texts.append(text)
