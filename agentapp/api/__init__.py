"""agentapp.api."""
