#!/usr/bin/env bash
# Install Agent Companion from this checkout and start it.
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

if command -v dpkg-query >/dev/null 2>&1; then
    # shellcheck disable=SC2086
    missing=$(for p in $QT_LIBS; do dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null \
        | grep -q "install ok installed" || echo "$p"; done)
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && ! command -v xvfb-run >/dev/null; then
        missing="$missing xvfb xauth"
    fi
    if [ -n "$(echo "$missing" | tr -d '[:space:]')" ]; then
        SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
        echo "Installing system libraries for Qt:" $missing
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
    fi
fi

python3 -m pip install --quiet --disable-pip-version-check -e .

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "No display found: starting under a virtual X server (xvfb-run)."
    echo "On a desktop, run 'agentapp' directly to see the window."
    exec xvfb-run -a -s "-screen 0 1280x800x24" agentapp "$@"
fi
exec agentapp "$@"
