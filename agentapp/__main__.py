"""``python -m agentapp`` starts the app."""

from agentapp.app import main

raise SystemExit(main())
