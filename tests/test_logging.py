"""Logging: every form of secret is redacted from the file; one excepthook."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentapp.logging_setup import (
    LOG_FILE_NAME,
    REDACTED,
    Redactor,
    configure_logging,
    install_excepthook,
)

TOKEN = "s3cr3t-T0KEN-value"


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # restored afterwards
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    level = root.level
    configure_logging(tmp_path / "logs", logging.DEBUG, secrets=lambda: [TOKEN],
                      stderr=False)
    yield tmp_path / "logs" / LOG_FILE_NAME
    for handler in root.handlers:
        if getattr(handler, "_agentapp", False):
            handler.close()
    root.setLevel(level)


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_current_secret_value_redacted_in_message_and_args(log_file: Path) -> None:
    log = logging.getLogger("agentapp.test")
    log.info("plain " + TOKEN)
    log.warning("args %s and %r", TOKEN, {"nested": TOKEN})
    text = read(log_file)
    assert TOKEN not in text
    assert text.count(REDACTED) == 3


@pytest.mark.parametrize(
    ("line", "leak"),
    [
        ("Authorization: Bearer abc.DEF-123_xyz==", "abc.DEF-123_xyz"),
        ("GET https://api.example/api/c2c_get?token=QQQ111&did=123 200", "QQQ111"),
        ("body: api_token=ZZZ999&number=98", "ZZZ999"),
        ('{"token": "JSONTOKEN42", "did": "1"}', "JSONTOKEN42"),
        ("{'token': 'REPRTOKEN7', 'x': 1}", "REPRTOKEN7"),
        ('{"secret_key": "whsec_abcdef"}', "whsec_abcdef"),
        ('{"token":"esc\\"aped9"}', "aped9"),
    ],
)
def test_token_shapes_redacted(log_file: Path, line: str, leak: str) -> None:
    logging.getLogger("agentapp.test").error("seen %s", line)
    text = read(log_file)
    assert leak not in text
    assert REDACTED in text


def test_ordinary_text_is_untouched() -> None:
    redact = Redactor(lambda: ["", "ab"])  # empty and too-short secrets are ignored
    line = 'dialled +919812345678 (logid 42) {"did": "8000", "status": true} ab'
    assert redact(line) == line


def test_exception_text_redacted(log_file: Path) -> None:
    try:
        raise RuntimeError(f"server said token={TOKEN} and Bearer {TOKEN}")
    except RuntimeError:
        logging.getLogger("agentapp.test").exception("request failed")
    text = read(log_file)
    assert "RuntimeError" in text and "Traceback" in text
    assert TOKEN not in text


def test_httpx_request_logs_silenced(log_file: Path) -> None:
    logging.getLogger("httpx").info("HTTP Request: GET https://x/api?a=1")
    logging.getLogger("httpx").warning("httpx warning kept")
    text = read(log_file)
    assert "HTTP Request" not in text
    assert "httpx warning kept" in text


def test_excepthook_logs_redacted_and_shows_short_message(log_file: Path) -> None:
    shown: list[str] = []
    hook = install_excepthook(shown.append, redactor=Redactor(lambda: [TOKEN]))
    assert sys.excepthook is hook
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError as exc:
        hook(ValueError, exc, exc.__traceback__)
    text = read(log_file)
    assert "Unhandled exception" in text and "ValueError" in text
    assert TOKEN not in text
    assert len(shown) == 1 and "ValueError" in shown[0] and TOKEN not in shown[0]


def test_excepthook_without_redactor_shows_only_the_type(log_file: Path) -> None:
    shown: list[str] = []
    hook = install_excepthook(shown.append)
    exc = OSError("details that might be secret")
    hook(OSError, exc, None)
    assert "OSError" in shown[0] and "secret" not in shown[0]


def test_keyboard_interrupt_passes_through(
    log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    passed: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda t, e, tb: passed.append(t))
    shown: list[str] = []
    hook = install_excepthook(shown.append)
    hook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert passed == [KeyboardInterrupt]
    assert shown == []
    assert "Unhandled" not in read(log_file)


def test_thread_exceptions_are_logged(log_file: Path) -> None:
    install_excepthook(lambda _m: None)

    def boom() -> None:
        raise LookupError(f"worker saw {TOKEN}")

    worker = threading.Thread(target=boom, name="worker-1")
    worker.start()
    worker.join()
    text = read(log_file)
    assert "worker-1" in text and "LookupError" in text and TOKEN not in text
