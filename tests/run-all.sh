#!/usr/bin/env bash
# Sets up everything and runs every test suite twice: in the release build
# and under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on
# the first failure. Run from anywhere; needs root (or sudo) for the package
# install, and root for the loop-device, mount and FUSE tests (they skip,
# saying why, without it).
set -euo pipefail
cd "$(dirname "$0")/.."

installer/bootstrap-debian.sh

jobs=$(nproc)
for preset in release asan-ubsan; do
    echo "== configure and build: $preset"
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "== test: $preset"
    ctest --preset "$preset"
done
echo "== all suites passed in the release and asan-ubsan builds"
