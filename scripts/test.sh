#!/usr/bin/env bash
# Install what the tests need and run the whole suite inside the real services
# they use. This is the README's test command, and exactly what CI runs
# (.ci/run adds AGENTAPP_CI_STRICT=1, turning "service missing" skips into
# failures). Extra arguments go to pytest.
#
# - Debian packages: Qt's system libraries, Xvfb, D-Bus + GNOME Keyring,
#   PortAudio + PulseAudio, AppStream/desktop-file validators, x11-utils
#   (xwininfo finds the screen-pop window on Xvfb), binutils + gcc + libc6-dev (the
#   bundle-slimming tests read ELF files and build the ICU stand-in) (installed
#   as root or via sudo, only when missing).
# - Python: the package with its `test` extras, editable, in .venv.
# - Services, in a private temporary HOME/XDG tree, torn down on exit: a
#   PulseAudio null sink (virtual speaker + its monitor as the microphone), a
#   D-Bus session with an unlocked gnome-keyring (Secret Service), and Xvfb.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES="libegl1 libgl1 libxkbcommon0 libfontconfig1 fontconfig fonts-dejavu-core
libdbus-1-3 libglib2.0-0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4
libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xkb1
xvfb xauth dbus gnome-keyring libportaudio2 pulseaudio pulseaudio-utils libasound2-plugins
appstream desktop-file-utils x11-utils binutils gcc libc6-dev"

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck disable=SC2086
ensure_debian_packages $APT_PACKAGES
ensure_venv '.[test]'
PY="$VENV_DIR/bin/python"

# A private home and XDG tree: nothing leaks in from (or out to) the machine.
TEST_TMP="$(mktemp -d)"
export HOME="$TEST_TMP/home" XDG_CONFIG_HOME="$TEST_TMP/config" XDG_DATA_HOME="$TEST_TMP/data"
export XDG_STATE_HOME="$TEST_TMP/state" XDG_CACHE_HOME="$TEST_TMP/cache"
export XDG_RUNTIME_DIR="$TEST_TMP/runtime"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"
cleanup() {
    if command -v pulseaudio >/dev/null 2>&1; then pulseaudio --kill >/dev/null 2>&1 || true; fi
    rm -rf "$TEST_TMP"
}
trap cleanup EXIT

if command -v pulseaudio >/dev/null 2>&1; then
    # ALSA (what PortAudio opens by default) routed to PulseAudio.
    printf 'pcm.!default pulse\nctl.!default pulse\n' > "$HOME/.asoundrc"
    pulseaudio -D -n --exit-idle-time=-1 --disallow-exit --system=false \
        --load=module-native-protocol-unix \
        --load="module-null-sink sink_name=ci_sink rate=48000" \
        --load=module-always-sink
    for _ in $(seq 1 50); do
        pactl info >/dev/null 2>&1 && break
        sleep 0.2
    done
    pactl set-default-sink ci_sink
    pactl set-default-source ci_sink.monitor
fi

run_pytest=("$PY" -m pytest "$@")
if command -v xvfb-run >/dev/null 2>&1; then
    run_pytest=(xvfb-run -a -s "-screen 0 1280x800x24" "${run_pytest[@]}")
fi
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1
then
    # shellcheck disable=SC2016  # expanded by the inner shell, on purpose
    run_pytest=(dbus-run-session -- bash -c 'echo -n test-pass | gnome-keyring-daemon --unlock \
        --components=secrets >/dev/null; exec "$@"' keyring "${run_pytest[@]}")
fi
# Not exec: the EXIT trap must still stop pulseaudio and remove the temp tree.
status=0
"${run_pytest[@]}" || status=$?
exit "$status"
