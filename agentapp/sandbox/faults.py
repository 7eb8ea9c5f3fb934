"""Injected faults (``POST /_sandbox/faults``): latency, errors, drops, bad bodies, 429s."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field
from typing import Any

RATE_FIELDS = ("error_rate", "drop_rate", "malformed_rate", "truncated_rate", "html_rate")


@dataclass
class FaultPlan:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 500
    drop_rate: float = 0.0
    malformed_rate: float = 0.0
    truncated_rate: float = 0.0
    html_rate: float = 0.0
    rate_limit_retry_after: int | None = None
    paths: list[str] = field(default_factory=list)
    count: int | None = None  # apply to the next N matching requests, then clear
    # The request takes effect first (a call is placed), then the fault hits the answer:
    # what a client sees when a server or proxy fails after acting.
    after_handler: bool = False
    # Every matching answer says ``Connection: close``: the client must open a new
    # connection (and resolve the name again) for its next request, as after a
    # network change. Combined with a resolver that fails, this is a DNS outage.
    close_connections: bool = False

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> FaultPlan:
        """Build from a control request; raises ValueError naming a bad field."""
        plan = cls()
        for name, value in body.items():
            if name == "token":
                continue
            if not hasattr(plan, name):
                raise ValueError(f"{name} is invalid")
            try:
                setattr(plan, name, _coerce(name, value))
            except (TypeError, ValueError):
                raise ValueError(f"{name} is invalid") from None
        return plan

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def active(self) -> bool:
        return self != FaultPlan() and self.count != 0


def _coerce(name: str, value: Any) -> Any:
    if name == "paths":
        if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
            raise ValueError(name)
        return value
    if name in RATE_FIELDS:
        rate = float(value)
        if not 0.0 <= rate <= 1.0:
            raise ValueError(name)
        return rate
    if name in ("after_handler", "close_connections"):
        if not isinstance(value, bool):
            raise ValueError(name)
        return value
    if name in ("rate_limit_retry_after", "count") and value is None:
        return None
    number = int(value)
    if number < 0:
        raise ValueError(name)
    return number


class FaultInjector:
    """Decides, per request, which fault (if any) to apply; seeded for repeatability."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed ^ 0x5EED)
        self.plan = FaultPlan()

    def set_plan(self, plan: FaultPlan) -> None:
        self.plan = plan

    def draw(self, path: str) -> tuple[FaultPlan, str | None] | None:
        """``(plan, fault)`` for a request to ``path``; None when nothing applies."""
        plan = self.plan
        if path.startswith("/_sandbox") or not plan.active:
            return None
        if plan.paths and not any(path.startswith(p) for p in plan.paths):
            return None
        if plan.count is not None:
            plan.count -= 1
            if plan.count <= 0:
                self.plan = FaultPlan()
        if plan.rate_limit_retry_after is not None:
            return plan, "rate_limit"
        for name in ("drop", "error", "malformed", "html", "truncated"):
            rate: float = getattr(plan, f"{name}_rate")
            if rate > 0 and self._rng.random() < rate:
                return plan, name
        return plan, None
