#!/usr/bin/env bash
# One source to several targets: `drivemirror-cli mirror SOURCE T1..TN` next
# to what people do otherwise (N jobs one after the other, N qemu-img
# convert, N dd processes at once, and one dd whose output tee writes N
# times). Run on demand as
# root; prints a markdown table of medians, progress on stderr.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

DIR=/var/tmp/drivemirror-bench-many
SIZE=2G
TARGETS=4
RUNS=3
CLI=""
OUT=""

usage() {
    cat <<'EOF'
Usage: bench_many_targets.sh [options]

  --dir DIR      scratch directory on the disk to measure
                 (default /var/tmp/drivemirror-bench-many)
  --size SIZE    source image size, binary units (default 2G)
  --targets N    targets per copy, 2 to 16 (default 4)
  --runs N       runs per tool; the table shows medians (default 3)
  --cli PATH     drivemirror-cli to measure (default: build/release of this
                 tree, then PATH)
  --out FILE     also write the report to FILE
  -h, --help     this text

Every run starts with a page-cache drop, so the source is read from the
disk. "source read" is what each tool read of the source: drivemirror's
end events report it (source-bytes-read), the others read it once per
target (qemu-img, one job per target, parallel dd) or once (dd | tee).
EOF
}

die() { echo "bench_many_targets: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --size) SIZE=${2:?--size needs a value}; shift 2 ;;
    --targets) TARGETS=${2:?--targets needs a value}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done

[[ $(id -u) -eq 0 ]] || die "needs root (page-cache drop)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ $TARGETS =~ ^[0-9]+$ && $TARGETS -ge 2 && $TARGETS -le 16 ]] ||
    die "--targets must be from 2 to 16, got '$TARGETS'"
BYTES=$(to_bytes "$SIZE") || die "bad --size: $SIZE"
if [[ -z $CLI ]]; then
    for c in "$REPO_DIR/build/release/app/drivemirror-cli" "$(command -v drivemirror-cli || true)"; do
        [[ -n $c && -x $c ]] && CLI=$c && break
    done
fi
[[ -n $CLI && -x $CLI ]] || die "no drivemirror-cli found (use --cli)"
for t in qemu-img dd tee cmp python3; do
    command -v "$t" >/dev/null || die "$t is missing"
done

created_dir=0
[[ -d $DIR ]] || { mkdir -p "$DIR"; created_dir=1; }
cleanup() {
    rm -f "$DIR"/src.img "$DIR"/t*.img "$DIR"/.events
    [[ $created_dir -eq 1 ]] && rmdir "$DIR" 2>/dev/null || true
}
trap cleanup EXIT
need=$((BYTES * (TARGETS + 1) + (1 << 30)))
(($(free_bytes) >= need)) || die "$DIR needs $(fmt_bytes $need) free"

log "writing a $(fmt_bytes "$BYTES") source of incompressible data"
write_random "$DIR/src.img" "$BYTES"

targets() { for ((i = 1; i <= TARGETS; i++)); do echo "$DIR/t$i.img"; done; }
clear_targets() { rm -f "$DIR"/t*.img; sync; settle_disk "$DIR"; }

# Each row: a function that copies src.img to every target and prints the
# bytes it read of the source.
row_drivemirror() {
    # shellcheck disable=SC2046
    "$CLI" mirror "$DIR/src.img" $(targets) --complete-when-ready --json >"$DIR/.events" 2>/dev/null
    python3 - "$DIR/.events" <<'EOF'
import json, sys
total = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("event") == "BLOCK_JOB_COMPLETED":
        total += o["data"]["source-bytes-read"]
print(total)
EOF
}
row_jobs() {
    for t in $(targets); do "$CLI" mirror "$DIR/src.img" "$t" --complete-when-ready 2>/dev/null; done
    echo $((BYTES * TARGETS))
}
row_qemu_img() {
    for t in $(targets); do qemu-img convert -f raw -O raw -t none -T none "$DIR/src.img" "$t"; done
    echo $((BYTES * TARGETS))
}
row_dd_parallel() {
    local pids=()
    for t in $(targets); do
        dd if="$DIR/src.img" of="$t" bs=4M iflag=direct oflag=direct status=none &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    sync
    echo $((BYTES * TARGETS))
}
row_dd_tee() {
    local list
    list=$(targets)
    # shellcheck disable=SC2086
    dd if="$DIR/src.img" bs=4M iflag=direct status=none | tee $list >/dev/null
    sync
    echo "$BYTES"
}

declare -A SECS READ
ROWS="drivemirror jobs qemu_img dd_parallel dd_tee"
for row in $ROWS; do
    times=()
    for ((r = 1; r <= RUNS; r++)); do
        clear_targets
        drop_caches
        log "$row: run $r of $RUNS"
        start=$(date +%s.%N)
        read_bytes=$("row_$row")
        end=$(date +%s.%N)
        for t in $(targets); do
            cmp -s "$DIR/src.img" "$t" || die "$row: $t differs from the source"
        done
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')")
        READ[$row]=$read_bytes
    done
    SECS[$row]=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
done

report() {
    echo "### $(fmt_bytes "$BYTES") to $TARGETS targets, medians of $RUNS ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    echo "| copy | seconds | MiB/s per target | all targets MiB/s | source read | vs drivemirror |"
    echo "|---|---:|---:|---:|---:|---:|"
    local base=${SECS[drivemirror]}
    for row in $ROWS; do
        local name
        case $row in
        drivemirror) name="drivemirror-cli mirror SOURCE T1..T$TARGETS" ;;
        jobs) name="$TARGETS x drivemirror-cli mirror, one after the other" ;;
        qemu_img) name="$TARGETS x qemu-img convert -t none" ;;
        dd_parallel) name="$TARGETS x dd iflag=direct oflag=direct, at once" ;;
        dd_tee) name="dd iflag=direct \\\\| tee T1..T$TARGETS" ;;
        esac
        awk -v n="$name" -v s="${SECS[$row]}" -v b="$BYTES" -v k="$TARGETS" -v rd="${READ[$row]}" -v base="$base" \
            'BEGIN { printf "| %s | %.2f | %.0f | %.0f | %.2f GiB | %.2fx |\n", n, s, b / 1048576 / s, k * b / 1048576 / s, rd / 1073741824, s / base }'
    done
}
if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi
