#!/usr/bin/env bash
# Installs exactly the Debian 12 packages that building, running and testing
# DriveMirror need. Idempotent: when everything is present it changes nothing
# and does not touch the network.
set -euo pipefail

packages=(
    # build
    build-essential cmake ninja-build pkg-config clang-format
    qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev libgl-dev
    liburing-dev libudev-dev libblkid-dev libspdlog-dev libfmt-dev libxxhash-dev
    nlohmann-json3-dev libssl-dev libnbd-dev
    # tests: oracles, real filesystems, fault injection, the GUI under Xvfb
    qemu-utils fio e2fsprogs util-linux fdisk fuse3 libfuse3-dev xvfb xauth
    # tests: GNU ddrescue's ddrescuelog reads the exported mapfile
    gddrescue
    # tests: libnbd's nbdinfo is a client of the NBD exports serve starts;
    # nbdkit serves exports that no code of ours wrote
    libnbd-bin nbdkit
    # tests: every file system and signature the target rules must recognise
    xfsprogs btrfs-progs f2fs-tools dosfstools exfatprogs ntfs-3g cryptsetup-bin
    squashfs-tools xorriso
    # runtime of the GUI on a bare server (xcb platform plugin)
    libxcb-cursor0 libqt6svg6
    # a locale with a decimal comma, so tests can prove the CLI ignores it
    locales
    # the Debian package: icons rendered at build time, cpack's dependency
    # computation, its checks, and what the package depends on at run time
    librsvg2-bin dpkg-dev file lintian desktop-file-utils appstream libxml2-utils
    man-db qt6-qpa-plugins pkexec
    # the helper's tests: a real pkexec needs polkitd on a system bus
    polkitd dbus dbus-bin procps
    # Qt's own strings in German and Japanese (the package recommends it)
    qt6-translations-l10n
)

# Locales the tests switch to; generated once, then present.
wanted_locales=(de_DE.UTF-8 ja_JP.UTF-8)
have_locales() {
    command -v locale >/dev/null 2>&1 || return 1
    for l in "${wanted_locales[@]}"; do
        locale -a 2>/dev/null | grep -qix "${l/UTF-8/utf8}" || return 1
    done
}

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ] && have_locales; then
    echo "bootstrap: all ${#packages[@]} packages and the test locales present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo "$0" "$@"
    fi
    echo "bootstrap: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! have_locales; then
    for l in "${wanted_locales[@]}"; do
        sed -i "s/^# *\(${l} UTF-8\)/\1/" /etc/locale.gen
        grep -q "^${l} UTF-8" /etc/locale.gen || echo "${l} UTF-8" >> /etc/locale.gen
    done
    locale-gen >/dev/null
fi
