"""agentapp.sandbox."""
