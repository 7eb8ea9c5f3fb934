"""agentapp: the desktop companion for IVR Solutions call-centre agents."""

__version__ = "0.1.0"
APP_ID = "in.ivrsolutions.AgentCompanion"
APP_NAME = "Agent Companion"
