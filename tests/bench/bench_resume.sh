#!/usr/bin/env bash
# What checkpoints cost and what resuming saves. Run on demand as root;
# prints a markdown table of medians, progress on stderr.
#
#   1. A full-speed copy of an image, with checkpoints every 5 s (the
#      default) and every 1 s, next to the same copy with --no-checkpoints,
#      the same with only the target's flushes every 1 s (made by another
#      process), dd and qemu-img convert: the checkpoints' overhead, and how
#      much of it is the disk's cost of a flush.
#   2. A copy killed (SIGKILL) at 50 %, then resumed: from the map (the
#      source untouched) and by comparing (the source's mtime changed), next
#      to the copy from zero it replaces.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

DIR=/var/tmp/drivemirror-bench-resume
SIZE=8G
RUNS=3
PARTS="1 2"
ROWS=""
CLI=""
OUT=""

usage() {
    cat <<'EOF'
Usage: bench_resume.sh [options]

  --dir DIR      scratch directory on the disk to measure
                 (default /var/tmp/drivemirror-bench-resume)
  --size SIZE    source image size, binary units (default 8G)
  --runs N       runs per row; the table shows medians (default 3)
  --part N       only part 1 (the checkpoints' cost) or 2 (resuming)
  --rows "R..."  part 1's rows, among off 5s sync5 1s sync1 dd qemu (all)
  --cli PATH     drivemirror-cli to measure (default: build/release of this
                 tree, then PATH)
  --out FILE     also write the report to FILE
  -h, --help     this text

Every run starts with a page-cache drop. The rows of part 1 take turns
within each run, so that drift of the machine spreads over all of them.
EOF
}

die() { echo "bench_resume: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --size) SIZE=${2:?--size needs a value}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --part) PARTS=${2:?--part needs a value}; shift 2 ;;
    --rows) ROWS=${2:?--rows needs a value}; shift 2 ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done

[[ $(id -u) -eq 0 ]] || die "needs root (page-cache drop)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
BYTES=$(to_bytes "$SIZE") || die "bad --size: $SIZE"
if [[ -z $CLI ]]; then
    for c in "$REPO_DIR/build/release/app/drivemirror-cli" "$(command -v drivemirror-cli || true)"; do
        [[ -n $c && -x $c ]] && CLI=$c && break
    done
fi
[[ -n $CLI && -x $CLI ]] || die "no drivemirror-cli found (use --cli)"
for t in qemu-img dd cmp python3; do
    command -v "$t" >/dev/null || die "$t is missing"
done

created_dir=0
[[ -d $DIR ]] || { mkdir -p "$DIR"; created_dir=1; }
STATE="$DIR/state"
cleanup() {
    rm -rf "$DIR"/src.img "$DIR"/dst.img "$DIR"/.events "$STATE"
    [[ $created_dir -eq 1 ]] && rmdir "$DIR" 2>/dev/null || true
}
trap cleanup EXIT
need=$((BYTES * 2 + (1 << 30)))
(($(free_bytes) >= need)) || die "$DIR needs $(fmt_bytes $need) free"

log "writing a $(fmt_bytes "$BYTES") source of incompressible data"
write_random "$DIR/src.img" "$BYTES"

fresh() {
    rm -rf "$DIR/dst.img" "$STATE"
    sync
    settle_disk "$DIR"
    drop_caches
}
mirror() { "$CLI" mirror "$DIR/src.img" "$DIR/dst.img" --state-dir "$STATE" --complete-when-ready "$@" 2>/dev/null; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

row_off() { mirror --no-checkpoints >/dev/null; }
row_5s() { mirror >/dev/null; }
row_1s() { mirror --checkpoint-interval 1 >/dev/null; }
# What a checkpoint row's flushes cost the disk by themselves: the copy
# without checkpoints while another process fdatasyncs the target every
# SECONDS. The checkpoint row minus this one is what the checkpoints add
# beyond their flushes.
copy_with_flushes() {
    python3 - "$DIR/dst.img" "$1" <<'EOF' &
import os, sys, time
while not os.path.exists(sys.argv[1]):
    time.sleep(0.005)
fd = os.open(sys.argv[1], os.O_RDONLY)
while True:
    time.sleep(float(sys.argv[2]))
    os.fdatasync(fd)
EOF
    local syncer=$!
    mirror --no-checkpoints >/dev/null
    kill "$syncer"
    wait "$syncer" 2>/dev/null || true
}
row_sync5() { copy_with_flushes 5; }
row_sync1() { copy_with_flushes 1; }
row_dd() { dd if="$DIR/src.img" of="$DIR/dst.img" bs=4M iflag=direct oflag=direct status=none; }
row_qemu() { qemu-img convert -f raw -O raw -t none -T none "$DIR/src.img" "$DIR/dst.img"; }

declare -A T
COPY_ROWS=${ROWS:-"off 5s sync5 1s sync1 dd qemu"}
[[ $PARTS == *1* ]] || COPY_ROWS=""
[[ -z $COPY_ROWS || " $COPY_ROWS " == *" off "* ]] || die "--rows: off is the row the others are compared with"
for row in $COPY_ROWS; do
    declare -F "row_$row" >/dev/null || die "--rows: no row $row"
done
for ((r = 1; r <= RUNS && ${#COPY_ROWS} > 0; r++)); do
    for row in $COPY_ROWS; do
        fresh
        log "copy $row: run $r of $RUNS"
        start=$(date +%s.%N)
        "row_$row"
        end=$(date +%s.%N)
        cmp -s "$DIR/src.img" "$DIR/dst.img" || die "copy $row: the target differs"
        T[$row]+="$(seconds "$start" "$end") "
    done
done

# Starts a copy, kills it once half is copied; prints the bytes the last
# progress event before the kill had copied.
kill_at_half() {
    python3 - "$CLI" "$DIR/src.img" "$DIR/dst.img" "$STATE" "$BYTES" <<'EOF'
import json, os, signal, subprocess, sys
cli, src, dst, state, size = sys.argv[1:6]
# Checkpoints every half second, so that what the kill loses is the same
# small amount whatever the disk's speed.
p = subprocess.Popen([cli, "mirror", src, dst, "--state-dir", state, "--json",
                      "--progress-interval", "50", "--checkpoint-interval", "0.5"],
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
done = 0
for line in p.stdout:
    o = json.loads(line)
    if o.get("event") == "BLOCK_JOB_PROGRESS":
        done = o["data"].get("offset", 0)
        if done >= int(size) // 2:
            p.send_signal(signal.SIGKILL)
            break
p.wait()
print(done)
EOF
}

resume_row() { # touch: "yes" changes the source's mtime first (the compare path)
    fresh
    local at
    at=$(kill_at_half)
    [[ $1 == yes ]] && touch "$DIR/src.img"
    drop_caches
    local start end
    start=$(date +%s.%N)
    mirror --resume --json >"$DIR/.events"
    end=$(date +%s.%N)
    cmp -s "$DIR/src.img" "$DIR/dst.img" || die "resume: the target differs"
    python3 - "$DIR/.events" "$at" "$(seconds "$start" "$end")" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o.get("event") == "BLOCK_JOB_COMPLETED":
        d = o["data"]
        print(sys.argv[3], d.get("resumed-from", "?"), d.get("resume-in-sync", 0),
              d.get("offset", 0), d.get("source-bytes-read", 0), sys.argv[2])
EOF
}

declare -A R FROM INSYNC COPIED READB
do2=0
[[ $PARTS == *2* ]] && do2=1
for ((r = 1; r <= RUNS && do2; r++)); do
    for kind in map compare; do
        log "resume at 50 % ($kind): run $r of $RUNS"
        read -r secs from insync copied readb _ <<<"$(resume_row "$([[ $kind == compare ]] && echo yes || echo no)")"
        [[ $from == "$kind" ]] || die "resume took the $from path, expected $kind"
        R[$kind]+="$secs "
        INSYNC[$kind]=$insync
        COPIED[$kind]=$copied
        READB[$kind]=$readb
    done
done

report() {
    local off="" five=""
    echo "### $(fmt_bytes "$BYTES") image to image, medians of $RUNS ($(date -u +%Y-%m-%d), $(nproc) cores)"
    echo
    if [[ -n $COPY_ROWS ]]; then
    off=$(median ${T[off]})
    five=$(median ${T[5s]})
    echo "| copy | seconds | MiB/s | vs --no-checkpoints |"
    echo "|---|---:|---:|---:|"
    fi
    for row in $COPY_ROWS; do
        local name s
        case $row in
        off) name="drivemirror-cli mirror --no-checkpoints" ;;
        5s) name="drivemirror-cli mirror (checkpoint every 5 s)" ;;
        1s) name="drivemirror-cli mirror --checkpoint-interval 1" ;;
        sync5) name="--no-checkpoints, the target fdatasync'd every 5 s by another process" ;;
        sync1) name="--no-checkpoints, the target fdatasync'd every 1 s by another process" ;;
        dd) name="dd bs=4M iflag=direct oflag=direct" ;;
        qemu) name="qemu-img convert -t none -T none" ;;
        esac
        s=$(median ${T[$row]})
        awk -v n="$name" -v s="$s" -v b="$BYTES" -v base="$off" \
            'BEGIN { printf "| %s | %.2f | %.0f | %+.1f %% |\n", n, s, b / 1048576 / s, (s / base - 1) * 100 }'
    done
    [[ $PARTS == *2* ]] || return 0
    # Without part 1, the copy from zero is what the resume replaces: the
    # bytes it would copy at the resume's own rate.
    echo
    echo "Killed at 50 % (checkpoints every 0.5 s), then \`--resume --complete-when-ready\` (median seconds; bytes of the last run):"
    echo
    echo "| resume | seconds | vs copy from zero | in sync at the checkpoint | copied after resuming | source read |"
    echo "|---|---:|---:|---:|---:|---:|"
    for kind in map compare; do
        local s name
        s=$(median ${R[$kind]})
        [[ $kind == map ]] && name="from the map (source untouched)" || name="by comparing (source's mtime changed)"
        awk -v n="$name" -v s="$s" -v base="$five" -v i="${INSYNC[$kind]}" -v c="${COPIED[$kind]}" -v rd="${READB[$kind]}" \
            'BEGIN { printf "| %s | %.2f | %s | %.2f GiB | %.2f GiB | %.2f GiB |\n", n, s, base ? sprintf("%.2fx", s / base) : "-", i / 1073741824, c / 1073741824, rd / 1073741824 }'
    done
}
if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi
