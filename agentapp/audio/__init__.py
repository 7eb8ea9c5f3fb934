"""agentapp.audio."""
