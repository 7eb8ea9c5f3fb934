"""The team event relay: the account's one webhook URL, fanned out over NATS JetStream.

Headless (no Qt) and stateless: every delivery is validated, published to
JetStream with its event id as ``Nats-Msg-Id`` and answered 2xx only after
JetStream stored it. Run with ``agentapp-relay`` (docs/relay.md).
"""

from agentapp.relay.config import RelayConfig
from agentapp.relay.server import RelayServer

__all__ = ["RelayConfig", "RelayServer"]
