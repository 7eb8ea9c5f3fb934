"""agentapp.audio: devices, meters, tones, loopback, recording playback (no Qt).

PortAudio (through sounddevice) is imported lazily by ``backend.load``, so a
machine without it still runs everything else; see docs/audio.md.
"""
