"""agentapp.services."""
