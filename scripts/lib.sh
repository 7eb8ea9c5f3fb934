#!/usr/bin/env bash
# Shared by scripts/run.sh and scripts/test.sh (sourced, not run).
#
# Why a virtual environment: Debian 12 and Ubuntu 24.04 mark their Python
# "externally managed" (PEP 668) and refuse `pip install` outside a venv. We
# never use --break-system-packages or sudo pip; everything Python goes into
# `.venv` in the checkout, which `.venv/bin/agentapp` then runs.

VENV_DIR="${AGENTAPP_VENV:-.venv}"

as_root() {
    # Run a command as root: directly when we are root, else through sudo.
    if [ "$(id -u)" -eq 0 ]; then "$@"; return; fi
    if command -v sudo >/dev/null 2>&1; then sudo "$@"; return; fi
    echo "error: '$*' needs root and sudo is not installed" >&2
    return 1
}

ensure_debian_packages() {
    # Install the named Debian packages that are missing (no-op off Debian).
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing="" p
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $p"
    done
    [ -n "$missing" ] || return 0
    echo "Installing Debian packages:$missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

find_python() {
    # The first python3 that is 3.11 or newer.
    local py
    for py in python3 python3.13 python3.12 python3.11; do
        if command -v "$py" >/dev/null 2>&1 \
            && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$py"; return 0
        fi
    done
    echo "error: Agent Companion needs Python 3.11 or newer (python3 not found or too old)" >&2
    return 1
}

ensure_venv() {
    # Create $VENV_DIR when missing (installing python3-venv on Debian when
    # `venv` cannot bootstrap pip), then install this checkout into it with the
    # given extras: ensure_venv '.[test]'.
    local spec="$1" py
    if [ ! -x "$VENV_DIR/bin/python" ]; then
        py=$(find_python)
        if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
            local ver
            ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            ensure_debian_packages python3-venv "python${ver}-venv"
        fi
        echo "Creating the virtual environment $VENV_DIR"
        rm -rf "$VENV_DIR"
        "$py" -m venv "$VENV_DIR"
    fi
    PIP_ROOT_USER_ACTION=ignore "$VENV_DIR/bin/python" -m pip install --quiet \
        --disable-pip-version-check -e "$spec"
}
