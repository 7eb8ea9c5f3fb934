"""The one error hierarchy of the API client.

Every failure the client can meet (HTTP status, envelope ``status``, transport,
TLS, unparseable body) becomes exactly one of these, each with a
``user_message`` a person can act on, so callers never see httpx or KeyError.
"""

from __future__ import annotations

TOKEN_HINT = "Check it under Settings → API token in your IVR Solutions dashboard."


class ApiError(Exception):
    """Base class; ``str(err)`` is the technical detail, ``user_message`` the advice."""

    default_message = "The IVR Solutions API reported an error."
    # False only when we know the request never left this machine (no connection was
    # made): a mutation that failed that way certainly did not happen.
    request_sent = True

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        super().__init__(detail or self.default_message)
        self.detail = detail
        self.user_message: str = user_message or self._advice(detail)

    def _advice(self, detail: str) -> str:
        if detail:
            return f"{self.default_message} The server said: {detail}"
        return self.default_message


class AuthError(ApiError):
    """Bad or missing token (HTTP 405 + ``{"status":401}``, 401/403, or body status 401)."""

    default_message = f"The API token was refused. {TOKEN_HINT}"

    def _advice(self, detail: str) -> str:
        return self.default_message


class ValidationError(ApiError):
    """HTTP 400: a parameter is missing or invalid; ``field`` names it when known."""

    default_message = "The request was rejected as invalid."

    def __init__(
        self, detail: str = "", *, field: str | None = None, user_message: str | None = None
    ) -> None:
        self.field = field
        super().__init__(detail, user_message=user_message)

    def _advice(self, detail: str) -> str:
        if self.field == "did":
            return "The caller-ID number (DID) was rejected. Check it is active on your account."
        if self.field:
            return f"The server rejected the value for '{self.field}': {detail or 'invalid'}."
        return super()._advice(detail)


class NotFoundError(ApiError):
    """HTTP 404 or a "not found" answer.

    ``path_missing`` is True when the 404 came from the web server itself (HTML
    or plain text, not the API's JSON envelope): the endpoint path is wrong.
    """

    default_message = "The requested item was not found."

    def __init__(
        self, detail: str = "", *, path_missing: bool = False, user_message: str | None = None
    ) -> None:
        self.path_missing = path_missing
        super().__init__(detail, user_message=user_message)

    def _advice(self, detail: str) -> str:
        if self.path_missing:
            return (
                "This endpoint path does not exist on the server. Run 'agentapp --check-api' "
                "and correct the path under 'api/path_overrides' in the profile's "
                "settings.json."
            )
        return f"Not found: {detail}" if detail else self.default_message


class RateLimitedError(ApiError):
    """HTTP 429; ``retry_after`` in seconds when the server said."""

    default_message = "The IVR Solutions API is rate limiting this account."

    def __init__(
        self, detail: str = "", *, retry_after: float | None = None, user_message: str | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(detail, user_message=user_message)

    def _advice(self, detail: str) -> str:
        if self.retry_after is not None:
            return f"{self.default_message} Try again in {max(1, round(self.retry_after))} s."
        return f"{self.default_message} Wait a moment and try again."


class ServerError(ApiError):
    """HTTP 5xx (or a body status in 5xx): the provider's side failed."""

    default_message = "The IVR Solutions server had a problem. Try again in a minute."

    def __init__(
        self, detail: str = "", *, status_code: int = 500, user_message: str | None = None
    ) -> None:
        self.status_code = status_code
        super().__init__(detail, user_message=user_message)

    def _advice(self, detail: str) -> str:
        return self.default_message


class ApiTimeoutError(ApiError):
    """The server did not answer in time."""

    default_message = (
        "The IVR Solutions API did not answer in time. Check your internet connection."
    )

    def _advice(self, detail: str) -> str:
        return self.default_message


class ApiConnectionError(ApiError):
    """Connection refused, DNS failure, or the connection dropped mid-request."""

    default_message = (
        "Could not reach the IVR Solutions API. Check your internet connection and the "
        "API address in the sign-in dialog (File → Sign in to IVR Solutions…)."
    )

    def _advice(self, detail: str) -> str:
        return self.default_message


class InsecureUrlError(ApiError):
    """The base URL would send the token in clear text (http to another machine)."""

    default_message = (
        "Use https:// for a remote server: the API token must not travel unencrypted."
    )


class TlsError(ApiError):
    """The secure connection could not be established (certificate, proxy, wrong port)."""

    default_message = (
        "A secure connection to the IVR Solutions API could not be set up. Check the API "
        "address in the sign-in dialog (File → Sign in to IVR Solutions…), your system "
        "clock and any proxy or firewall that inspects HTTPS."
    )

    def _advice(self, detail: str) -> str:
        return self.default_message


class MalformedResponseError(ApiError):
    """The answer was not the JSON we expected (HTML, truncated, wrong shape)."""

    default_message = (
        "The IVR Solutions API sent an answer this app does not understand. Try again; if "
        "it keeps happening, run 'agentapp --check-api'."
    )

    def _advice(self, detail: str) -> str:
        return self.default_message
