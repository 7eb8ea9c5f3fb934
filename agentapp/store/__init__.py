"""agentapp.store."""
