"""Stands in for sounddevice on a machine without libportaudio: import fails with OSError."""

raise OSError("PortAudio library not found")
