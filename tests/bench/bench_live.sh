#!/usr/bin/env bash
# Live-source benchmark: drivemirror-cli mirror of a mounted ext4 file system on
# a loop device while fio writes to it at a steady rate. Measures the time to
# READY, the total time and the freeze window at Complete for each write load,
# and checks every target with e2fsck. Run on demand as root; see README.md in
# this directory for what the columns mean.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

DIR=/var/tmp/drivemirror-bench-live
SIZE=2G
RUNS=3
RATES="0 10 50"
FILL=40
WRITER_SIZE=""
TIMEOUT=300
LEAD=2
CLI=""
CLI_ARGS=""
OUT=""
QUICK=0
SIZE_SET=0
RUNS_SET=0

usage() {
    cat <<'EOF'
Usage: bench_live.sh [options]

  --dir DIR          scratch directory on the disk to measure
                     (default /var/tmp/drivemirror-bench-live)
  --size SIZE        source image size, K/M/G/T are binary units (default 2G)
  --runs N           runs per write load; the table shows medians (default 3)
  --rates "0 10 50"  write loads in MiB/s, 0 = idle (default "0 10 50")
  --fill PCT         share of the image filled with data files (default 40)
  --writer-size SIZE file the writer rewrites, part of the fill
                     (default: 1/8 of --size)
  --timeout SEC      cancel a mirror that is not done after SEC seconds
                     (default 300)
  --cli PATH         drivemirror-cli to measure (default: build/eng, build/bench,
                     build/dev of this tree, then PATH)
  --cli-args "..."   extra options for drivemirror-cli mirror
  --out FILE         also write the report to FILE
  --quick            smoke check: 512M, 1 run
  -h, --help         this text

Needs root (loop devices, mount, page-cache drop, kernel tracing), fio,
mkfs.ext4 and e2fsck (e2fsprogs), losetup, mount, umount and fsfreeze
(util-linux), timeout and python3. The report (markdown) goes to stdout,
progress to stderr.
EOF
}

die() { echo "bench_live: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --size) SIZE=${2:?--size needs a value}; SIZE_SET=1; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; RUNS_SET=1; shift 2 ;;
    --rates) RATES=${2:?--rates needs a value}; shift 2 ;;
    --fill) FILL=${2:?--fill needs a value}; shift 2 ;;
    --writer-size) WRITER_SIZE=${2:?--writer-size needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --cli-args) CLI_ARGS=${2?--cli-args needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done

if [[ $QUICK -eq 1 ]]; then
    [[ $SIZE_SET -eq 1 ]] || SIZE=512M
    [[ $RUNS_SET -eq 1 ]] || RUNS=1
fi

# SIZE with optional binary suffix -> bytes

MIB=$((1 << 20))
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, got '$TIMEOUT'"
if [[ ! $FILL =~ ^[0-9]+$ ]] || ((FILL < 5 || FILL > 80)); then die "--fill must be 5..80, got '$FILL'"; fi
[[ -n ${RATES// /} ]] || die "--rates is empty"
for r in $RATES; do
    [[ $r =~ ^[0-9]+$ ]] || die "bad rate in --rates: '$r' (MiB/s as a whole number, 0 = idle)"
done
BYTES=$(to_bytes "$SIZE") || die "bad size '$SIZE' (use e.g. 512M, 2G)"
((BYTES >= 256 * MIB)) || die "size '$SIZE' is too small: use at least 256M"
((BYTES % (4 * MIB) == 0)) || die "size '$SIZE' must be a multiple of 4 MiB"
FILL_BYTES=$((BYTES * FILL / 100 / MIB * MIB))
if [[ -n $WRITER_SIZE ]]; then
    WBYTES=$(to_bytes "$WRITER_SIZE") || die "bad --writer-size '$WRITER_SIZE'"
else
    WBYTES=$((BYTES / 8))
fi
WBYTES=$((WBYTES / MIB * MIB))
((WBYTES >= 16 * MIB)) || die "--writer-size must be at least 16M"
((WBYTES <= FILL_BYTES)) || die "--writer-size ($((WBYTES / MIB)) MiB) must not exceed the fill ($((FILL_BYTES / MIB)) MiB)"

# ---------------------------------------------------------------- preconditions
[[ $EUID -eq 0 ]] || die "run as root: loop devices, mount, page-cache drop and kernel tracing need it"

if [[ -z $CLI ]]; then
    for c in "$REPO_DIR/build/eng/app/drivemirror-cli" "$REPO_DIR/build/bench/app/drivemirror-cli" \
        "$REPO_DIR/build/dev/app/drivemirror-cli"; do
        if [[ -x $c ]]; then CLI=$c; break; fi
    done
    [[ -n $CLI ]] || CLI=$(command -v drivemirror-cli || true)
fi
[[ -n $CLI && -x $CLI ]] || die "drivemirror-cli not found; build it or pass --cli PATH"
CLI=$(readlink -f "$CLI")

missing=()
for c in python3 fio mkfs.ext4 e2fsck losetup mount umount mountpoint fsfreeze findmnt timeout dd stat df sync; do
    command -v "$c" >/dev/null || missing+=("$c")
done
[[ ${#missing[@]} -eq 0 ]] || die "missing tools: ${missing[*]}"

CREATED_DIR=0
if [[ ! -d $DIR ]]; then
    mkdir -p "$DIR" || die "cannot create $DIR"
    CREATED_DIR=1
fi
DIR=$(cd "$DIR" && pwd)
WORK="$DIR/.live.$$"
SRC_IMG="$WORK/source.img"
MNT="$WORK/mnt"
TGT="$WORK/target.img"
LOOP=""
MIRROR_PID=""
WRITER_PID=""

stop_pid() { # PID SIGNAL: signal a process this script started and reap it
    [[ -n $1 ]] || return 0
    kill -"$2" "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

cleanup() {
    set +e
    # timeout(1) passes TERM on to drivemirror-cli, which cancels the job,
    # thaws the file system and removes its tracing instance
    stop_pid "$MIRROR_PID" TERM
    MIRROR_PID=""
    stop_pid "$WRITER_PID" INT
    WRITER_PID=""
    if [[ -d $MNT ]] && mountpoint -q "$MNT"; then
        fsfreeze -u "$MNT" 2>/dev/null
        for _ in 1 2 3 4 5; do
            umount "$MNT" 2>/dev/null && break
            sleep 1
        done
        mountpoint -q "$MNT" && echo "bench_live: could not unmount $MNT" >&2
    fi
    if [[ -n $LOOP ]]; then
        losetup -d "$LOOP" 2>/dev/null || echo "bench_live: could not detach $LOOP" >&2
    fi
    rm -rf --one-file-system "$WORK"
    if [[ $CREATED_DIR -eq 1 ]]; then rmdir "$DIR" 2>/dev/null; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK" "$MNT"

free_bytes=$(df --output=avail -B1 "$DIR" | tail -n1 | tr -d ' ')
need=$((2 * BYTES + (1 << 30)))
if ((free_bytes < need)); then
    die "not enough free space in $DIR: $((free_bytes / MIB)) MiB free, need $((need / MIB)) MiB (2 x the size + 1 GiB margin)"
fi

# ---------------------------------------------------------------- helpers


# write_random FILE BYTES: incompressible data, AES-CTR keystream when openssl
# is there (far faster than /dev/urandom)
write_random() {
    if command -v openssl >/dev/null; then
        { openssl enc -aes-128-ctr -pass pass:"drivemirror-live-$1" -nosalt -pbkdf2 -in /dev/zero 2>/dev/null || true; } |
            head -c "$2" | dd of="$1" bs=4M iflag=fullblock status=none
    else
        { head -c "$2" /dev/urandom || true; } | dd of="$1" bs=4M iflag=fullblock status=none
    fi
    [[ $(stat -c %s "$1") -eq $2 ]] || die "could not write $1"
}


# Prints, tab-separated: final event, seconds from START to BLOCK_JOB_READY,
# job elapsed, quiesce seconds, offset, len, zeroed, error ("NA" where absent).
EV_PARSE="$WORK/events.py"
cat >"$EV_PARSE" <<'EOF'
import json, sys
path, t0 = sys.argv[1], float(sys.argv[2])
ready = final = elapsed = quiesce = offset = length = zeroed = error = None
for line in open(path, errors="replace"):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    ev = m.get("event")
    if not ev:
        continue
    d = m.get("data", {})
    ts = m.get("timestamp", {})
    t = ts.get("seconds", 0) + ts.get("microseconds", 0) / 1e6
    if ev == "BLOCK_JOB_READY" and ready is None:
        ready = t - t0
    if ev in ("BLOCK_JOB_READY", "BLOCK_JOB_PROGRESS", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED"):
        offset = d.get("offset", offset)
        length = d.get("len", length)
    if ev in ("BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_ERROR"):
        final = ev
        elapsed = d.get("elapsed", elapsed)
        quiesce = d.get("quiesce-seconds", quiesce)
        zeroed = d.get("zeroed", zeroed)
        if d.get("error"):
            error = str(d["error"]).replace("\t", " ").replace("\n", " ")
na = lambda v, f="{}": "NA" if v is None else f.format(v)
print("\t".join([na(final), na(ready, "{:.3f}"), na(elapsed), na(quiesce), na(offset),
                 na(length), na(zeroed), na(error)]))
EOF

# Prints the writer's MiB/s between START and END from fio's bandwidth log
# (unix-epoch ms timestamps, KiB/s averaged over 100 ms), or NA.
BW_PARSE="$WORK/bw.py"
cat >"$BW_PARSE" <<'EOF'
import sys
path, t0, t1 = sys.argv[1], float(sys.argv[2]) * 1000, float(sys.argv[3]) * 1000
try:
    rows = [tuple(float(x) for x in l.split(",")[:2]) for l in open(path) if l.strip()]
except OSError:
    rows = []
kib, prev = 0.0, None
for ts, bw in rows:
    if prev is not None and ts > t0 and prev < t1:
        span = min(ts, t1) - max(prev, t0)
        kib += bw * span / 1000
    prev = ts
print("NA" if not rows or t1 <= t0 else f"{kib / 1024 / ((t1 - t0) / 1000):.1f}")
EOF

RESULTS="$WORK/results.tsv"
printf 'rate\trun\trc\tready\twall\telapsed\tquiesce\toffset\tlen\tzeroed\tfinal\terror\twriter\tfsck\n' >"$RESULTS"

# ---------------------------------------------------------------- source setup
START_EPOCH=$(date +%s)
log "scratch dir $DIR, source $SIZE ext4 filled to ${FILL}%, runs: $RUNS, write loads (MiB/s): $RATES"

truncate -s "$BYTES" "$SRC_IMG"
LOOP_DIO=on
LOOP=$(losetup -f --show --direct-io=on "$SRC_IMG" 2>/dev/null) || {
    LOOP_DIO=off
    LOOP=$(losetup -f --show "$SRC_IMG")
} || die "cannot attach $SRC_IMG to a loop device"
# no lazy inode-table/journal init: ext4lazyinit would otherwise write to the
# source in the background and spoil the idle runs
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -L dm-bench-live "$LOOP" >/dev/null ||
    die "mkfs.ext4 on $LOOP failed"
mount -t ext4 "$LOOP" "$MNT" || die "cannot mount $LOOP on $MNT"

log "filling the file system with $(fmt_bytes "$FILL_BYTES") of data ($(fmt_bytes "$WBYTES") writer file + data files)"
t0=$(date +%s.%N)
write_random "$MNT/writer.dat" "$WBYTES"
left=$((FILL_BYTES - WBYTES))
nfiles=1
while ((left > 0)); do
    chunk=$((left < 64 * MIB ? left : 64 * MIB))
    write_random "$MNT/data-$(printf '%03d' "$nfiles").bin" "$chunk"
    left=$((left - chunk))
    nfiles=$((nfiles + 1))
done
sync
log "  done in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
fs_used=$(df --output=used -B1 "$MNT" | tail -n1 | tr -d ' ')
fs_size=$(df --output=size -B1 "$MNT" | tail -n1 | tr -d ' ')

# ---------------------------------------------------------------- one run
# run_one RATE RUN
run_one() {
    local rate=$1 run=$2
    local ev="$WORK/events.json" err="$WORK/mirror.log" wlog="$WORK/writer.log"
    local bwlog="$WORK/wbw_bw.1.log" fsck_log="$WORK/e2fsck.log"
    local rc=0 fsck=NA writer=NA t0 t1 parsed
    rm -f "$TGT" "$ev" "$err" "$wlog" "$bwlog" "$WORK/writer.json"
    drop_caches
    if ((rate > 0)); then
        fio --name=writer --filename="${MNT//:/\\:}/writer.dat" --size="$WBYTES" \
            --rw=randwrite --bs=4k --rate="${rate}m" --ioengine=psync --fsync=32 \
            --time_based --runtime=$((TIMEOUT + 120)) \
            --write_bw_log="$WORK/wbw" --log_avg_msec=100 --log_unix_epoch=1 \
            --output-format=json --output="$WORK/writer.json" >"$wlog" 2>&1 &
        WRITER_PID=$!
        sleep "$LEAD"
        if ! kill -0 "$WRITER_PID" 2>/dev/null; then
            wait "$WRITER_PID" || true
            WRITER_PID=""
            tail -n 15 "$wlog" >&2
            die "the fio writer ended before the mirror started"
        fi
    fi
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086  # CLI_ARGS is a word list on purpose
    timeout -k 30 "$TIMEOUT" "$CLI" mirror "$LOOP" "$TGT" --complete-when-ready --json \
        $CLI_ARGS >"$ev" 2>"$err" &
    MIRROR_PID=$!
    wait "$MIRROR_PID" || rc=$?
    MIRROR_PID=""
    t1=$(date +%s.%N)
    if [[ -n $WRITER_PID ]]; then
        stop_pid "$WRITER_PID" INT
        WRITER_PID=""
        writer=$(python3 "$BW_PARSE" "$bwlog" "$t0" "$t1")
    fi
    parsed=$(python3 "$EV_PARSE" "$ev" "$t0")
    if [[ $rc -ne 0 ]]; then
        if [[ $rc -eq 124 ]]; then log "  mirror not done after ${TIMEOUT}s: cancelled"; fi
        show_failure "mirror (load $rate MiB/s, run $run)" "$rc" "$err"
    fi
    if [[ -f $TGT ]]; then
        if e2fsck -fn "$TGT" >"$fsck_log" 2>&1; then
            fsck=clean
        else
            fsck="exit$?"
            log "  e2fsck -fn on the target reports problems:"
            tail -n 10 "$fsck_log" >&2 || true
        fi
    fi
    local wall
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    local final ready elapsed quiesce offset len zeroed error
    IFS=$'\t' read -r final ready elapsed quiesce offset len zeroed error <<<"$parsed"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$run" "$rc" "$ready" \
        "$wall" "$elapsed" "$quiesce" "$offset" "$len" "$zeroed" "$final" "$error" "$writer" "$fsck" >>"$RESULTS"
    log "  load $rate MiB/s run $run: exit $rc, READY after ${ready}s, total ${wall}s, freeze ${quiesce}s," \
        "copied $(awk -v b="$offset" 'BEGIN { printf "%.0f", b / 1048576 }') MiB, writer ${writer} MiB/s, e2fsck $fsck"
    rm -f "$TGT"
}

for ((run = 1; run <= RUNS; run++)); do
    log "run $run/$RUNS"
    for rate in $RATES; do
        run_one "$rate" "$run"
    done
done

END_EPOCH=$(date +%s)
ELAPSED=$((END_EPOCH - START_EPOCH))

# ---------------------------------------------------------------- report
fs_type=$(findmnt -n -o FSTYPE -T "$DIR" 2>/dev/null | head -n1)
fs_src=$(df --output=source "$DIR" | tail -n1 | tr -d ' ')
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
dm_version=$("$CLI" --version 2>&1 | head -n1 || echo "-")

REPORT="$WORK/report.md"
{
    echo "# drivemirror live-source benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: $(uname -n), kernel $(uname -r) ($(uname -m))"
    echo "- CPU: ${cpu_model:-?}, $(nproc) cores online; RAM $mem_total"
    echo "- scratch dir: $DIR on $fs_src, filesystem ${fs_type:-?}"
    echo "- drivemirror-cli: $CLI ($dm_version)${CLI_ARGS:+, extra options: $CLI_ARGS}"
    echo "- fio: $(fio --version); $(mkfs.ext4 -V 2>&1 | head -n1)"
    echo "- source: $SIZE image on a loop device (direct I/O $LOOP_DIO), ext4, mounted;" \
        "$(fmt_bytes "$fs_used") of $(fmt_bytes "$fs_size") used: $(fmt_bytes "$WBYTES") writer file +" \
        "$((nfiles - 1)) data files of random data"
    echo "- writer: fio randwrite bs=4k, psync, fsync every 32 writes, on the $(fmt_bytes "$WBYTES") writer file," \
        "started ${LEAD}s before the mirror, stopped when it exits"
    echo "- mirror: \`drivemirror-cli mirror /dev/loopN TARGET --complete-when-ready --json\`," \
        "new target file on the scratch dir, page cache dropped before each run, cancelled after ${TIMEOUT}s"
    echo "- runs per write load: $RUNS"
    echo
    python3 - "$RESULTS" "$TIMEOUT" <<'EOF'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
timeout = sys.argv[2]
MIB = 2**20

def num(v):
    return None if v in ("NA", "", None) else float(v)

def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None

def f(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"

rates = []
for r in rows:
    if r["rate"] not in rates:
        rates.append(r["rate"])

print("| write load | runs | time to READY (median s) | total time (median s) "
      "| freeze window median ms | freeze window max ms | copied MiB | e2fsck clean |")
print("|---|---:|---:|---:|---:|---:|---:|---|")
summary = {}
for rate in rates:
    rs = [r for r in rows if r["rate"] == rate]
    ok = [r for r in rs if r["rc"] == "0" and r["final"] == "BLOCK_JOB_COMPLETED"]
    ready = [num(r["ready"]) for r in rs if num(r["ready"]) is not None]
    frz = [num(r["quiesce"]) * 1000 for r in ok if num(r["quiesce"]) is not None]
    wr = med([num(r["writer"]) for r in rs])
    load = "idle" if rate == "0" else f"{rate} MiB/s" + (f" ({wr:.1f} achieved)" if wr is not None else "")
    runs = str(len(rs)) + ("" if len(ok) == len(rs) else f" ({len(rs) - len(ok)} failed)")
    if not ready:
        ready_txt = f"never (cancelled at {timeout} s)"
    else:
        ready_txt = f(med(ready))
        if len(ready) < len(rs):
            ready_txt += f" ({len(ready)}/{len(rs)} reached)"
    total = med([num(r["wall"]) for r in ok])
    clean = sum(r["fsck"] == "clean" for r in rs)
    copied = med([num(r["offset"]) / MIB for r in rs if num(r["offset"]) is not None])
    summary[rate] = (med(ready), total, max(frz) if frz else None, len(ready), len(rs))
    print(f"| {load} | {runs} | {ready_txt} | {f(total)} | {f(med(frz), 0)} "
          f"| {f(max(frz) if frz else None, 0)} | {f(copied, 0)} | {clean}/{len(rs)} |")
print()
if "0" in summary and summary["0"][0] is not None:
    b = summary["0"]
    print(f"Baseline (idle source): READY after {f(b[0])} s, done after {f(b[1])} s.", end="")
    rel = [f"{rate} MiB/s: READY {summary[rate][0] / b[0]:.1f}x idle"
           for rate in rates if rate != "0" and summary[rate][0] is not None and b[0]]
    print((" Under load: " + "; ".join(rel) + ".") if rel else "")
    print()
notes = []
for rate in rates:
    s = summary[rate]
    if rate != "0" and s[3] < s[4]:
        notes.append(f"**At {rate} MiB/s READY was not reached in {s[4] - s[3]} of {s[4]} runs "
                     f"(cancelled after {timeout} s).**")
    if s[2] is not None and s[2] > 1000:
        notes.append(f"**At {'idle' if rate == '0' else rate + ' MiB/s'} the freeze window reached "
                     f"{s[2]:.0f} ms (over one second).**")
for n in notes:
    print(n)
    print()

print("<details><summary>Per-run data</summary>")
print()
print("| write load | run | exit | end event | READY s | total s | job elapsed s | freeze ms "
      "| copied MiB | of which zeroed MiB | job len MiB | writer MiB/s | e2fsck |")
print("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    mb = lambda k: "-" if num(r[k]) is None else f"{num(r[k]) / MIB:.0f}"
    q = "-" if num(r["quiesce"]) is None else f"{num(r['quiesce']) * 1000:.0f}"
    end = r["final"] if r["final"] != "NA" else "-"
    if r["error"] != "NA":
        end += f" ({r['error']})"
    print(f"| {r['rate']} | {r['run']} | {r['rc']} | {end} | {r['ready'] if r['ready'] != 'NA' else '-'} "
          f"| {r['wall']} | {r['elapsed'] if r['elapsed'] != 'NA' else '-'} | {q} | {mb('offset')} "
          f"| {mb('zeroed')} | {mb('len')} | {r['writer'] if r['writer'] != 'NA' else '-'} | {r['fsck']} |")
print()
print("</details>")
EOF
    echo
    echo "Time to READY = from starting drivemirror-cli to its BLOCK_JOB_READY event; total"
    echo "time = until the process exits (READY, freeze, final copy, thaw, flush). Freeze"
    echo "window = \"quiesce-seconds\" of BLOCK_JOB_COMPLETED: how long the source file system"
    echo "was frozen at Complete. Copied MiB = the job's final offset (bytes processed,"
    echo "ranges written as zeroes included, re-copies of rewritten ranges included)."
    echo "Writer MiB/s = what fio actually wrote while the mirror ran (fio bandwidth log)."
    echo "e2fsck clean = \`e2fsck -fn\` on the finished target exited 0. Medians over the runs."
    echo
    echo "Total benchmark time: $((ELAPSED / 60)) min $((ELAPSED % 60)) s (setup and checks included)."
} >"$REPORT"

cat "$REPORT"
if [[ -n $OUT ]]; then cp "$REPORT" "$OUT"; fi
log "finished in ${ELAPSED}s"
if awk -F'\t' 'NR > 1 && ($3 != "0" || $4 == "NA" || $14 != "clean") { bad = 1 } END { exit !bad }' "$RESULTS"; then
    log "some runs failed, never reached READY or left a target e2fsck does not pass; see the table"
    exit 1
fi
