"""Webhook signing: our documented scheme, since the provider's is unknown.

``X-IVR-Timestamp: <unix seconds>`` and
``X-IVR-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>``.
The sandbox signs with it and the app's receiver verifies it; a real account
may deliver unsigned, which the receiver accepts only when no secret is set.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-IVR-Timestamp"
SIGNATURE_HEADER = "X-IVR-Signature"
DEFAULT_TOLERANCE_S = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    body: bytes,
    timestamp_header: str | None,
    signature_header: str | None,
    now: float,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
) -> bool:
    """True when the headers prove ``body`` came from a holder of ``secret``, recently."""
    if not timestamp_header or not signature_header:
        return False
    try:
        ts = int(timestamp_header)
    except ValueError:
        return False
    if abs(now - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature_header.strip())
