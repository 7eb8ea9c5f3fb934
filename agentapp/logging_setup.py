"""Logging to the platform log dir and stderr, with secrets redacted from every record.

Why redaction lives on the handlers: a filter on a logger only sees records
logged on that exact logger, while a handler filter sees every record that
reaches the output, including those from httpx, aiohttp and our own modules.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType

REDACTED = "[REDACTED]"
LOG_FILE_NAME = "agentapp.log"
_MIN_SECRET_LEN = 4  # shorter "secrets" would shred ordinary log text

_SECRET_NAME = r"(?:[A-Za-z_]*token|secret(?:_key)?|password|passwd|api_?key)"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer abc / Basic abc
    (re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*"), rf"\1 {REDACTED}"),
    # token=abc in query strings and form bodies
    (re.compile(rf"(?i)\b({_SECRET_NAME})=([^&\s'\"]+)"), rf"\1={REDACTED}"),
    # "token": "abc" in JSON, 'token': 'abc' in Python reprs
    (re.compile(rf"(?i)([\"']{_SECRET_NAME}[\"']\s*:\s*)([\"'])((?:\\.|(?!\2).)*)\2"),
     rf"\1\2{REDACTED}\2"),
)


class Redactor:
    """Replaces current secret values and token-shaped fragments in text."""

    def __init__(self, secrets: Callable[[], Iterable[str]]) -> None:
        self._secrets = secrets

    def __call__(self, text: str) -> str:
        try:
            values = sorted({s for s in self._secrets() if s and len(s) >= _MIN_SECRET_LEN},
                            key=len, reverse=True)
        except Exception:  # never let a broken secret source break logging
            values = []
        for value in values:
            text = text.replace(value, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


class RedactingFilter(logging.Filter):
    """Renders each record's message once, redacted; also redacts exception text."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad format args: keep the raw parts, still redacted
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = self._redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


class RepeatThrottle(logging.Filter):
    """Lets ``burst`` records of one kind through per ``interval_s``; counts the rest.

    A flood of one error (a client hammering the webhook receiver) must not
    push everything else out of the rotated logs: the kind is the logger,
    level and first line of the message template; the first record of a kind
    let through after a quiet spell says how many were dropped before it.
    Put it on a logger (``attach``), so it sees only that logger's records.
    """

    def __init__(self, *, interval_s: float = 60.0, burst: int = 5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._interval = interval_s
        self._burst = burst
        self._clock = clock
        self._kinds: dict[tuple[str, int, str], list[float]] = {}  # [window start, passed, dropped]

    def filter(self, record: logging.LogRecord) -> bool:
        now = self._clock()
        kind = (record.name, record.levelno, str(record.msg).split("\n", 1)[0][:120])
        state = self._kinds.get(kind)
        if state is None or now - state[0] >= self._interval:
            dropped = int(state[2]) if state else 0
            if len(self._kinds) > 1000:  # many distinct kinds: forget the old ones
                self._kinds.clear()
            self._kinds[kind] = [now, 1, 0]
            if dropped:
                record.msg = f"{record.msg} [{dropped} similar record(s) dropped before this]"
            return True
        if state[1] < self._burst:
            state[1] += 1
            return True
        state[2] += 1
        return False

    def attach(self, *loggers: logging.Logger) -> None:
        for logger in loggers:
            logger.addFilter(self)

    def detach(self, *loggers: logging.Logger) -> None:
        for logger in loggers:
            logger.removeFilter(self)


def configure_logging(
    log_dir: Path,
    level: int | str = logging.INFO,
    *,
    secrets: Callable[[], Iterable[str]],
    stderr: bool = True,
) -> Redactor:
    """Install the file + stderr handlers on the root logger (replacing earlier ones)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_agentapp", False)]:
        root.removeHandler(handler)
        handler.close()

    redactor = Redactor(secrets)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE_NAME, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    ]
    if stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter(redactor))
        handler._agentapp = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; URLs are noise and may carry secrets.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return redactor


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install_excepthook(
    show_dialog: Callable[[str], None],
    *,
    redactor: Redactor | None = None,
    logger: logging.Logger | None = None,
) -> ExceptHook:
    """ONE sys.excepthook: log the traceback (handlers redact it), tell the user briefly.

    Without a redactor the dialog names only the exception type, since the
    exception text may contain a secret. Returns the installed hook.
    """
    log = logger or logging.getLogger("agentapp.crash")

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("Unhandled exception", exc_info=(exc_type, exc, tb))
        detail = f": {redactor(str(exc))}" if redactor and str(exc) else ""
        message = (f"An unexpected error occurred ({exc_type.__name__}{detail}). "
                   "Details were written to the log.")
        try:
            show_dialog(message[:500])
        except Exception:
            log.exception("could not show the error dialog")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        # Worker threads have no UI: log only.
        if args.exc_value is not None:
            log.critical("Unhandled exception in thread %s",
                         args.thread.name if args.thread else "?",
                         exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
    return hook
