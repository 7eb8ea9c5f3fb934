"""agentapp.ui."""
