"""agentapp.qt."""
