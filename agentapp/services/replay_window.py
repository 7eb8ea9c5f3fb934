"""Signed deliveries already seen inside the signature's validity window.

A signature is valid for ``signature.DEFAULT_TOLERANCE_S`` around its
timestamp, so a captured delivery could be posted again during that time.
Remembering each accepted signature until its timestamp has left the window
is enough to recognise every such replay; after that, ``signature.verify``
refuses it anyway. What a repeat gets is the caller's choice (see
docs/security.md: 200 without effect). A delivery that failed after its claim
(503 while the event store is down, a bug) is ``release``d, so the sender's
retry of the very same request is processed, not mistaken for a replay.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from agentapp.core import signature


class ReplayWindow:
    """``claim(sig, ts, now)``: True once per signature while it can still verify."""

    def __init__(self, tolerance_s: float = signature.DEFAULT_TOLERANCE_S,
                 max_entries: int = 100_000) -> None:
        self._tolerance = tolerance_s
        self._max = max_entries
        # digest of the signature header -> the time after which it no longer verifies
        self._seen: OrderedDict[bytes, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def claim(self, signature_header: str, timestamp: int, now: float) -> bool:
        self._forget_expired(now)
        key = _key(signature_header)
        if key in self._seen:
            return False
        self._seen[key] = timestamp + self._tolerance
        if len(self._seen) > self._max:  # bounded memory: the oldest goes first
            self._seen.popitem(last=False)
        return True

    def release(self, signature_header: str) -> None:
        """Forget a claim whose delivery was not processed (the retry must count)."""
        self._seen.pop(_key(signature_header), None)

    def _forget_expired(self, now: float) -> None:
        # Entries arrive in roughly timestamp order; a few out-of-order ones just
        # live a little longer.
        while self._seen:
            key, expires = next(iter(self._seen.items()))
            if expires >= now:
                return
            del self._seen[key]


def _key(signature_header: str) -> bytes:
    return hashlib.blake2b(signature_header.strip().encode(), digest_size=16).digest()
