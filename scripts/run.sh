#!/usr/bin/env bash
# Install Agent Companion from this checkout into .venv and start it.
# Debian/Ubuntu: installs the few system libraries Qt needs when they are
# missing (as root, or through sudo). With no account configured the app
# starts in demo mode on its built-in sandbox. Extra arguments go to the app
# (e.g. `bash scripts/run.sh --sandbox tel:+919876543210`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

QT_LIBS="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 fontconfig
fonts-dejavu-core libdbus-1-3 libglib2.0-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xkb1
libportaudio2"

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    QT_LIBS="$QT_LIBS xvfb xauth"
fi
# shellcheck disable=SC2086
ensure_debian_packages $QT_LIBS
ensure_venv .

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: starting under a virtual X server (xvfb-run)."
    echo "On a desktop, start it again with: $VENV_DIR/bin/agentapp"
    exec xvfb-run -a -s "-screen 0 1366x768x24" "$VENV_DIR/bin/agentapp" "$@"
fi
exec "$VENV_DIR/bin/agentapp" "$@"
