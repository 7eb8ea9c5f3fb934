"""PyInstaller entry point: the same ``main`` the ``agentapp`` console script runs."""

from agentapp.app import main

if __name__ == "__main__":
    raise SystemExit(main())
