"""Account configuration the documentation shows by example only: call flows, customer
lists, text templates, DID regions, voice bots and template variables.

Seeded from the provider page's own examples (docs/sandbox.md says which), kept in
memory; the create/update endpoints change it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TextTemplate:
    id: int
    name: str
    text: str
    status: str = "approved"  # the sandbox approves at once (guess)


@dataclass
class Catalog:
    call_flows: list[dict[str, Any]] = field(default_factory=lambda: [
        {"id": 1001, "name": "Welcome IVR", "description": "Main welcome menu"},
        {"id": 1002, "name": "Order Confirmation", "description": "COD order confirmation flow"},
        {"id": 1003, "name": "Feedback Survey", "description": "Post-call feedback collection"},
        {"id": 1701, "name": "Text call context", "description": "Options for text calls"},
    ])
    customer_lists: list[dict[str, Any]] = field(default_factory=lambda: [
        {"id": 1, "name": "December Leads", "count": 1500, "created_at": "2024-12-01 10:00:00"},
        {"id": 2, "name": "Premium Customers", "count": 350, "created_at": "2024-11-15 14:30:00"},
    ])
    templates: list[TextTemplate] = field(default_factory=lambda: [
        TextTemplate(101, "api_order_confirm", "Press 1 to confirm your order."),
        TextTemplate(102, "api_payment_reminder",
                     "Dear {name}, your payment of {amount} is due."),
    ])
    regions: list[dict[str, Any]] = field(default_factory=lambda: [
        {"id": 1, "name": "Delhi", "code": "011"}, {"id": 2, "name": "Bangalore", "code": "080"},
        {"id": 3, "name": "Mumbai", "code": "022"}, {"id": 4, "name": "Chennai", "code": "044"},
        {"id": 5, "name": "Hyderabad", "code": "040"},
        {"id": 6, "name": "Faridabad", "code": "0129"},
    ])
    voicebots: list[dict[str, Any]] = field(default_factory=lambda: [
        {"voicebot_id": "4821", "name": "Order follow-up bot", "language": "en-IN",
         "system_msg": "You are a helpful assistant.", "text": "Hi, this is an automated call."},
    ])
    variables: tuple[str, ...] = ("name", "order_id", "amount", "date", "phone")

    def flow(self, flow_id: str) -> dict[str, Any] | None:
        return next((f for f in self.call_flows if str(f["id"]) == flow_id), None)

    def template(self, name: str) -> TextTemplate | None:
        return next((t for t in self.templates if t.name == name), None)

    def template_by_id(self, template_id: int) -> TextTemplate | None:
        return next((t for t in self.templates if t.id == template_id), None)

    def region(self, region_id: str) -> dict[str, Any] | None:
        return next((r for r in self.regions if str(r["id"]) == region_id), None)

    def voicebot(self, voicebot_id: str) -> dict[str, Any] | None:
        return next((b for b in self.voicebots if b["voicebot_id"] == voicebot_id), None)
