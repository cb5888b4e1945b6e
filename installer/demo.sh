#!/usr/bin/env bash
# Sets up, builds and runs the built-in demo: the desktop app when a display
# is available, otherwise the command-line demo. Nothing outside the user's
# cache directory is written; no real disk is touched.
set -euo pipefail
cd "$(dirname "$0")/.."

installer/bootstrap-debian.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"

# Started with sudo, the CLI would act for the invoking user and refuse the
# demo, which needs no root; the demo writes only its own files, so it runs
# as whoever runs this script.
unset SUDO_UID SUDO_GID SUDO_USER PKEXEC_UID
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/release/app/drivemirror ]; then
    exec build/release/app/drivemirror --demo "$@"
fi
exec build/release/app/drivemirror-cli demo "$@"
