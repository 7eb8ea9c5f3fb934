"""agentapp.core."""
