#!/usr/bin/env bash
# Live-source benchmark: drivemirror-cli mirror of a mounted ext4 file system on
# a loop device while fio writes to it at a steady rate. Measures the time to
# READY, the total time and the freeze window at Complete for each write load,
# and checks every target with e2fsck. With --verify-sizes it also measures the
# freeze window with and without --verify on fresh sources of each given size
# (optionally next to a second, baseline drivemirror-cli). Run on demand as
# root; see README.md in this directory for what the columns mean.
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
WRITER_BS=4k
TIMEOUT=300
LEAD=2
CLI=""
CLI_ARGS=""
CLI_LABEL=new
BASE_CLI=""
BASE_ARGS=""
BASE_ARGS_SET=0
BASE_LABEL=baseline
VSIZES=""
VFILL=75
VRATE=10
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
  --runs N           runs per write load (and per --verify-sizes
                     configuration); the tables show medians (default 3)
  --rates "0 10 50"  write loads in MiB/s, 0 = idle (default "0 10 50");
                     "none" skips the write-load table (only with --verify-sizes)
  --fill PCT         share of the image filled with data files (default 40)
  --writer-size SIZE file the writer rewrites, part of the fill
                     (default: 1/8 of the source size)
  --writer-bs SIZE   block size of the writer's random writes (default 4k)
  --timeout SEC      cancel a mirror that is not done after SEC seconds
                     (default 300)
  --cli PATH         drivemirror-cli to measure (default: build/eng, build/bench,
                     build/dev of this tree, then PATH)
  --cli-args "..."   extra options for drivemirror-cli mirror
  --cli-label NAME   name of --cli in the --verify-sizes table (default "new")

 Freeze window with and without --verify (off unless --verify-sizes is given):
  --verify-sizes "4G 8G"
                     for each size: a fresh ext4 source filled to --verify-fill,
                     then --runs mirrors without and with --verify under the
                     --verify-rate write load; table of the freeze windows
  --verify-fill PCT  share of each such source filled with data (default 75)
  --verify-rate N    write load in MiB/s during these runs, 0 = idle (default 10)
  --baseline-cli PATH
                     also measure this drivemirror-cli in the same runs
  --baseline-args "..."
                     extra mirror options for the baseline (default: --cli-args)
  --baseline-label NAME
                     its name in the table (default "baseline")

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
    --writer-bs) WRITER_BS=${2:?--writer-bs needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --cli-args) CLI_ARGS=${2?--cli-args needs a value}; shift 2 ;;
    --cli-label) CLI_LABEL=${2:?--cli-label needs a value}; shift 2 ;;
    --verify-sizes) VSIZES=${2:?--verify-sizes needs a value}; shift 2 ;;
    --verify-fill) VFILL=${2:?--verify-fill needs a value}; shift 2 ;;
    --verify-rate) VRATE=${2:?--verify-rate needs a value}; shift 2 ;;
    --baseline-cli) BASE_CLI=${2:?--baseline-cli needs a value}; shift 2 ;;
    --baseline-args) BASE_ARGS=${2?--baseline-args needs a value}; BASE_ARGS_SET=1; shift 2 ;;
    --baseline-label) BASE_LABEL=${2:?--baseline-label needs a value}; shift 2 ;;
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
[[ $BASE_ARGS_SET -eq 1 ]] || BASE_ARGS=$CLI_ARGS

MIB=$((1 << 20))
GIB=$((1 << 30))
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, got '$TIMEOUT'"
if [[ ! $FILL =~ ^[0-9]+$ ]] || ((FILL < 5 || FILL > 80)); then die "--fill must be 5..80, got '$FILL'"; fi
WBS=$(to_bytes "$WRITER_BS") || die "bad --writer-bs '$WRITER_BS' (use e.g. 4k, 64k)"
((WBS >= 512 && WBS <= 16 * MIB && WBS % 512 == 0)) ||
    die "--writer-bs must be a multiple of 512 from 512 to 16M, got '$WRITER_BS'"
WRITER_BS_TXT=$(awk -v b="$WBS" 'BEGIN { if (b % 1048576 == 0) printf "%dM", b / 1048576; else if (b % 1024 == 0) printf "%dk", b / 1024; else print b }')
[[ -n ${RATES// /} ]] || die "--rates is empty (use \"none\" to skip the write-load table)"
DO_RATES=1
if [[ ${RATES// /} == none ]]; then
    DO_RATES=0
    [[ -n ${VSIZES// /} ]] || die "--rates none leaves nothing to measure without --verify-sizes"
else
    for r in $RATES; do
        [[ $r =~ ^[0-9]+$ ]] || die "bad rate in --rates: '$r' (MiB/s as a whole number, 0 = idle)"
    done
fi
BYTES=$(to_bytes "$SIZE") || die "bad size '$SIZE' (use e.g. 512M, 2G)"
((BYTES >= 256 * MIB)) || die "size '$SIZE' is too small: use at least 256M"
((BYTES % (4 * MIB) == 0)) || die "size '$SIZE' must be a multiple of 4 MiB"
FILL_BYTES=$((BYTES * FILL / 100 / MIB * MIB))
if [[ -n $WRITER_SIZE ]]; then
    WRITER_SIZE_BYTES=$(to_bytes "$WRITER_SIZE") || die "bad --writer-size '$WRITER_SIZE'"
    WRITER_SIZE_BYTES=$((WRITER_SIZE_BYTES / MIB * MIB))
else
    WRITER_SIZE_BYTES=0 # 1/8 of each source
fi
# writer_bytes SOURCE_BYTES -> size of the file the writer rewrites
writer_bytes() { if ((WRITER_SIZE_BYTES > 0)); then echo "$WRITER_SIZE_BYTES"; else echo $(($1 / 8 / MIB * MIB)); fi; }
WBYTES=$(writer_bytes "$BYTES")
if ((DO_RATES)); then
    ((WBYTES >= 16 * MIB)) || die "--writer-size must be at least 16M"
    ((WBYTES <= FILL_BYTES)) || die "--writer-size ($((WBYTES / MIB)) MiB) must not exceed the fill ($((FILL_BYTES / MIB)) MiB)"
    ((WBS <= WBYTES)) || die "--writer-bs must not exceed the writer file"
fi

# --verify-sizes: validated list of sizes and their byte counts
VSIZE_LIST=()
VBYTES_LIST=()
VMAX=0
if [[ -n ${VSIZES// /} ]]; then
    if [[ ! $VFILL =~ ^[0-9]+$ ]] || ((VFILL < 5 || VFILL > 80)); then die "--verify-fill must be 5..80, got '$VFILL'"; fi
    [[ $VRATE =~ ^[0-9]+$ ]] || die "--verify-rate must be a whole number of MiB/s (0 = idle), got '$VRATE'"
    for s in $VSIZES; do
        b=$(to_bytes "$s") || die "bad size in --verify-sizes: '$s' (use e.g. 4G 8G)"
        ((b >= 256 * MIB)) || die "size '$s' in --verify-sizes is too small: use at least 256M"
        ((b % (4 * MIB) == 0)) || die "size '$s' in --verify-sizes must be a multiple of 4 MiB"
        vw=$(writer_bytes "$b")
        ((vw >= 16 * MIB)) || die "writer file for '$s' would be $((vw / MIB)) MiB: use at least 16M"
        ((vw <= b * VFILL / 100)) || die "writer file ($((vw / MIB)) MiB) must not exceed the fill of the $s source"
        ((WBS <= vw)) || die "--writer-bs must not exceed the writer file"
        VSIZE_LIST+=("$s")
        VBYTES_LIST+=("$b")
        if ((b > VMAX)); then VMAX=$b; fi
    done
elif [[ -n $BASE_CLI ]]; then
    die "--baseline-cli is used by the --verify-sizes comparison only; give --verify-sizes too"
fi
[[ $CLI_LABEL != "$BASE_LABEL" ]] || die "--cli-label and --baseline-label must differ"
[[ $CLI_LABEL != *[$'\t|']* && $BASE_LABEL != *[$'\t|']* ]] || die "labels must not contain tabs or '|'"

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
if [[ -n $BASE_CLI ]]; then
    [[ -x $BASE_CLI ]] || die "--baseline-cli '$BASE_CLI' is not an executable file"
    BASE_CLI=$(readlink -f "$BASE_CLI")
fi

missing=()
for c in python3 fio mkfs.ext4 e2fsck losetup mount umount mountpoint fsfreeze findmnt timeout dd stat df sync truncate; do
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


# Thaws and unmounts the source file system, detaches its loop device (only
# the one this script attached) and removes the image. Returns 1 if something
# stayed behind.
release_source() {
    local ok=0
    if [[ -d $MNT ]] && mountpoint -q "$MNT"; then
        fsfreeze -u "$MNT" 2>/dev/null || true
        for _ in 1 2 3 4 5; do
            umount "$MNT" 2>/dev/null && break
            sleep 1
        done
        if mountpoint -q "$MNT"; then
            echo "bench_live: could not unmount $MNT" >&2
            ok=1
        fi
    fi
    if [[ -n $LOOP && $ok -eq 0 ]]; then
        if losetup -d "$LOOP" 2>/dev/null; then
            LOOP=""
        else
            echo "bench_live: could not detach $LOOP" >&2
            ok=1
        fi
    fi
    [[ $ok -ne 0 ]] || rm -f "$SRC_IMG" "$TGT"
    return "$ok"
}

cleanup() {
    set +e
    # timeout(1) passes TERM on to drivemirror-cli, which cancels the job,
    # thaws the file system and removes its tracing instance
    stop_pid "$MIRROR_PID" TERM
    MIRROR_PID=""
    stop_pid "$WRITER_PID" INT
    WRITER_PID=""
    release_source
    if [[ -n $LOOP ]]; then
        # still attached: keep the image so the loop device does not point at
        # a deleted file that nobody can find again
        echo "bench_live: left behind: $LOOP on $SRC_IMG, mounted on $MNT; detach by hand" >&2
    else
        rm -rf --one-file-system "$WORK"
        if [[ $CREATED_DIR -eq 1 ]]; then rmdir "$DIR" 2>/dev/null; fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK" "$MNT"

# check_space NEED WHAT: dies unless DIR has NEED bytes free
check_space() {
    local free
    free=$(free_bytes)
    if (($1 > free)); then
        die "not enough free space in $DIR: $((free / MIB)) MiB free, need $(($1 / MIB)) MiB ($2)"
    fi
}
if ((DO_RATES)); then
    check_space $((2 * BYTES + GIB)) "2 x the size + 1 GiB margin"
fi
if ((VMAX > 0)); then
    # source image + a target of the same size (both can end up fully
    # allocated) + 2 GiB for the rest of the disk's users
    check_space $((2 * VMAX + 2 * GIB)) "--verify-sizes: 2 x the largest size + 2 GiB margin"
fi
FREE_AT_START=$(free_bytes)

# ---------------------------------------------------------------- helpers


# Prints, tab-separated: final event, seconds from START to BLOCK_JOB_READY,
# job elapsed, quiesce seconds, offset, len, zeroed, error, then seconds from
# BLOCK_JOB_VERIFYING to the final event, verify identical, compared,
# hash-checked, unchecked, skipped-holes, seconds from BLOCK_JOB_READY to the
# final event ("NA" where absent).
EV_PARSE="$WORK/events.py"
cat >"$EV_PARSE" <<'EOF'
import json, sys
path, t0 = sys.argv[1], float(sys.argv[2])
ready = final = elapsed = quiesce = offset = length = zeroed = error = None
ready_t = verifying_t = final_t = None
verify = {}
for line in open(path, errors="replace"):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    ev = m.get("event") if isinstance(m, dict) else None
    if not ev:
        continue
    d = m.get("data", {})
    ts = m.get("timestamp", {})
    t = ts.get("seconds", 0) + ts.get("microseconds", 0) / 1e6
    if ev == "BLOCK_JOB_READY" and ready is None:
        ready = t - t0
        ready_t = t
    if ev == "BLOCK_JOB_VERIFYING":
        verifying_t = t
    if ev in ("BLOCK_JOB_READY", "BLOCK_JOB_PROGRESS", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED"):
        offset = d.get("offset", offset)
        length = d.get("len", length)
    if ev in ("BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_ERROR"):
        final = ev
        final_t = t
        elapsed = d.get("elapsed", elapsed)
        quiesce = d.get("quiesce-seconds", quiesce)
        zeroed = d.get("zeroed", zeroed)
        if isinstance(d.get("verify"), dict):
            verify = d["verify"]
        if d.get("error"):
            error = str(d["error"]).replace("\t", " ").replace("\n", " ")
na = lambda v, f="{}": "NA" if v is None else f.format(v)
vdur = final_t - verifying_t if verifying_t is not None and final_t is not None else None
cdur = final_t - ready_t if ready_t is not None and final_t is not None else None
ident = verify.get("identical")
ident = None if ident is None else ("yes" if ident else "no")
print("\t".join([na(final), na(ready, "{:.3f}"), na(elapsed), na(quiesce), na(offset),
                 na(length), na(zeroed), na(error), na(vdur, "{:.3f}"), na(ident),
                 na(verify.get("compared")), na(verify.get("hash-checked")),
                 na(verify.get("unchecked")), na(verify.get("skipped-holes")),
                 na(cdur, "{:.3f}")]))
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

# setup_source BYTES FILL_BYTES WRITER_BYTES: sparse image -> loop device ->
# ext4 -> mounted on MNT, filled with random data. Sets LOOP, LOOP_DIO,
# SRC_USED, SRC_FSSIZE, SRC_NFILES.
setup_source() {
    local bytes=$1 fill=$2 wbytes=$3 t0 left chunk
    rm -f "$SRC_IMG"
    truncate -s "$bytes" "$SRC_IMG"
    LOOP_DIO=on
    LOOP=$(losetup -f --show --direct-io=on "$SRC_IMG" 2>/dev/null) || {
        LOOP_DIO=off
        LOOP=$(losetup -f --show "$SRC_IMG")
    } || die "cannot attach $SRC_IMG to a loop device"
    [[ -b $LOOP ]] || die "losetup returned '$LOOP', not a block device"
    # no lazy inode-table/journal init: ext4lazyinit would otherwise write to the
    # source in the background and spoil the idle runs
    mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -L dm-bench-live "$LOOP" >/dev/null ||
        die "mkfs.ext4 on $LOOP failed"
    mount -t ext4 "$LOOP" "$MNT" || die "cannot mount $LOOP on $MNT"

    log "filling the file system with $(fmt_bytes "$fill") of data ($(fmt_bytes "$wbytes") writer file + data files)"
    t0=$(date +%s.%N)
    write_random "$MNT/writer.dat" "$wbytes"
    left=$((fill - wbytes))
    SRC_NFILES=0
    while ((left > 0)); do
        chunk=$((left < 64 * MIB ? left : 64 * MIB))
        SRC_NFILES=$((SRC_NFILES + 1))
        write_random "$MNT/data-$(printf '%03d' "$SRC_NFILES").bin" "$chunk"
        left=$((left - chunk))
    done
    sync
    log "  done in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
    SRC_USED=$(df --output=used -B1 "$MNT" | tail -n1 | tr -d ' ')
    SRC_FSSIZE=$(df --output=size -B1 "$MNT" | tail -n1 | tr -d ' ')
}

# start_writer RATE WBYTES: fio rewrites the writer file at RATE MiB/s (none
# for 0); waits LEAD seconds so the load is steady when the mirror starts
start_writer() {
    local rate=$1 wbytes=$2
    local wlog="$WORK/writer.log"
    rm -f "$wlog" "$WORK/wbw_bw.1.log" "$WORK/writer.json"
    ((rate > 0)) || return 0
    fio --name=writer --filename="${MNT//:/\\:}/writer.dat" --size="$wbytes" \
        --rw=randwrite --bs="$WBS" --rate="${rate}m" --ioengine=psync --fsync=32 \
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
}

# stop_writer T0 T1: stops the writer (in this shell, not a subshell: it is
# this shell's child); sets W_RATE to its MiB/s between T0 and T1 (NA when
# none ran)
stop_writer() {
    W_RATE=NA
    if [[ -n $WRITER_PID ]]; then
        stop_pid "$WRITER_PID" INT
        WRITER_PID=""
        W_RATE=$(python3 "$BW_PARSE" "$WORK/wbw_bw.1.log" "$1" "$2")
    fi
}

# run_mirror CLI ARGS DESC [extra mirror options...]: one mirror of the loop
# device to a new TGT. Sets M_RC, M_T0, M_T1, M_PARSED (EV_PARSE output).
run_mirror() {
    local cli=$1 args=$2 desc=$3
    shift 3
    local ev="$WORK/events.json" err="$WORK/mirror.log"
    rm -f "$ev" "$err"
    M_RC=0
    M_T0=$(date +%s.%N)
    # shellcheck disable=SC2086  # ARGS is a word list on purpose
    timeout -k 30 "$TIMEOUT" "$cli" mirror "$LOOP" "$TGT" --complete-when-ready --json \
        "$@" $args >"$ev" 2>"$err" &
    MIRROR_PID=$!
    wait "$MIRROR_PID" || M_RC=$?
    MIRROR_PID=""
    M_T1=$(date +%s.%N)
    if [[ $M_RC -ne 0 ]]; then
        if [[ $M_RC -eq 124 ]]; then log "  mirror not done after ${TIMEOUT}s: cancelled"; fi
        show_failure "mirror ($desc)" "$M_RC" "$err"
    fi
}

# check_target: prints "clean", "exitN" for an e2fsck that found problems, or
# NA when there is no target
check_target() {
    local fsck_log="$WORK/e2fsck.log" rc=0
    if [[ ! -f $TGT ]]; then
        echo NA
        return 0
    fi
    e2fsck -fn "$TGT" >"$fsck_log" 2>&1 || rc=$?
    if [[ $rc -eq 0 ]]; then
        echo clean
    else
        echo "exit$rc"
        log "  e2fsck -fn on the target reports problems:"
        tail -n 10 "$fsck_log" >&2 || true
    fi
}

RESULTS="$WORK/results.tsv"
printf 'rate\trun\trc\tready\twall\telapsed\tquiesce\toffset\tlen\tzeroed\tfinal\terror\twriter\tfsck\n' >"$RESULTS"
VRESULTS="$WORK/verify.tsv"
printf 'size\tbytes\tused\tfssize\tcli\trun\tverify\trc\tready\twall\tquiesce\tverify_s\tidentical\tcompared\thashchk\tunchecked\tholes\tcomplete_s\toffset\tfinal\terror\twriter\tfsck\n' >"$VRESULTS"

START_EPOCH=$(date +%s)

# ---------------------------------------------------------------- write-load table
# run_one RATE RUN
run_one() {
    local rate=$1 run=$2 fsck writer parsed
    rm -f "$TGT"
    drop_caches
    start_writer "$rate" "$WBYTES"
    run_mirror "$CLI" "$CLI_ARGS" "load $rate MiB/s, run $run"
    stop_writer "$M_T0" "$M_T1"
    writer=$W_RATE
    parsed=$(python3 "$EV_PARSE" "$WORK/events.json" "$M_T0")
    fsck=$(check_target)
    local wall
    wall=$(awk -v a="$M_T0" -v b="$M_T1" 'BEGIN { printf "%.3f", b - a }')
    local final ready elapsed quiesce offset len zeroed error _rest
    IFS=$'\t' read -r final ready elapsed quiesce offset len zeroed error _rest <<<"$parsed"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rate" "$run" "$M_RC" "$ready" \
        "$wall" "$elapsed" "$quiesce" "$offset" "$len" "$zeroed" "$final" "$error" "$writer" "$fsck" >>"$RESULTS"
    log "  load $rate MiB/s run $run: exit $M_RC, READY after ${ready}s, total ${wall}s, freeze ${quiesce}s," \
        "copied $(awk -v b="$offset" 'BEGIN { printf "%.0f", b / 1048576 }') MiB, writer ${writer} MiB/s, e2fsck $fsck"
    rm -f "$TGT"
}

if ((DO_RATES)); then
    log "scratch dir $DIR, source $SIZE ext4 filled to ${FILL}%, runs: $RUNS, write loads (MiB/s): $RATES"
    setup_source "$BYTES" "$FILL_BYTES" "$WBYTES"
    R_LOOP_DIO=$LOOP_DIO R_USED=$SRC_USED R_FSSIZE=$SRC_FSSIZE R_NFILES=$SRC_NFILES
    for ((run = 1; run <= RUNS; run++)); do
        log "run $run/$RUNS"
        for rate in $RATES; do
            run_one "$rate" "$run"
        done
    done
    release_source || die "cannot release the source of the write-load runs"
fi

# ---------------------------------------------------------------- freeze with/without --verify
# verify_one SIZE BYTES LABEL CLI ARGS RUN VERIFY(0|1)
verify_one() {
    local size=$1 bytes=$2 label=$3 cli=$4 args=$5 run=$6 verify=$7
    local desc fsck writer parsed wall
    desc="$size, $label, $([[ $verify -eq 1 ]] && echo "with" || echo "without") --verify, run $run"
    rm -f "$TGT"
    drop_caches
    start_writer "$VRATE" "$VBYTES_W"
    if [[ $verify -eq 1 ]]; then
        run_mirror "$cli" "$args" "$desc" --verify
    else
        run_mirror "$cli" "$args" "$desc"
    fi
    stop_writer "$M_T0" "$M_T1"
    writer=$W_RATE
    parsed=$(python3 "$EV_PARSE" "$WORK/events.json" "$M_T0")
    fsck=$(check_target)
    wall=$(awk -v a="$M_T0" -v b="$M_T1" 'BEGIN { printf "%.3f", b - a }')
    local final ready elapsed quiesce offset len zeroed error vdur ident compared hashchk unchecked holes cdur
    IFS=$'\t' read -r final ready elapsed quiesce offset len zeroed error vdur ident compared hashchk unchecked holes cdur \
        <<<"$parsed"
    printf '%s\t' "$size" "$bytes" "$SRC_USED" "$SRC_FSSIZE" "$label" "$run" "$verify" "$M_RC" "$ready" "$wall" \
        "$quiesce" "$vdur" "$ident" "$compared" "$hashchk" "$unchecked" "$holes" "$cdur" "$offset" "$final" \
        "$error" "$writer" >>"$VRESULTS"
    printf '%s\n' "$fsck" >>"$VRESULTS"
    log "  $desc: exit $M_RC, READY after ${ready}s, total ${wall}s, freeze ${quiesce}s, verification ${vdur}s," \
        "identical $ident, writer ${writer} MiB/s, e2fsck $fsck"
    rm -f "$TGT"
}

VCLIS=("$CLI_LABEL" "$CLI" "$CLI_ARGS")
[[ -z $BASE_CLI ]] || VCLIS+=("$BASE_LABEL" "$BASE_CLI" "$BASE_ARGS")
for i in "${!VSIZE_LIST[@]}"; do
    vs=${VSIZE_LIST[$i]}
    vb=${VBYTES_LIST[$i]}
    VBYTES_W=$(writer_bytes "$vb")
    check_space $((2 * vb + 2 * GIB)) "$vs source and target + 2 GiB margin"
    log "--verify comparison: $vs source ext4 filled to ${VFILL}%, write load ${VRATE} MiB/s, runs: $RUNS," \
        "CLIs: $CLI_LABEL${BASE_CLI:+, $BASE_LABEL}"
    setup_source "$vb" $((vb * VFILL / 100 / MIB * MIB)) "$VBYTES_W"
    V_LOOP_DIO=$LOOP_DIO
    for ((run = 1; run <= RUNS; run++)); do
        log "$vs run $run/$RUNS"
        for ((c = 0; c < ${#VCLIS[@]}; c += 3)); do
            for verify in 0 1; do
                verify_one "$vs" "$vb" "${VCLIS[c]}" "${VCLIS[c + 1]}" "${VCLIS[c + 2]}" "$run" "$verify"
            done
        done
    done
    release_source || die "cannot release the $vs source"
done

END_EPOCH=$(date +%s)
ELAPSED=$((END_EPOCH - START_EPOCH))

# ---------------------------------------------------------------- report
fs_type=$(findmnt -n -o FSTYPE -T "$DIR" 2>/dev/null | head -n1)
fs_src=$(df --output=source "$DIR" | tail -n1 | tr -d ' ')
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
dm_version=$("$CLI" --version 2>&1 | head -n1 || echo "-")

rate_report() {
    echo "- source: $SIZE image on a loop device (direct I/O $R_LOOP_DIO), ext4, mounted;" \
        "$(fmt_bytes "$R_USED") of $(fmt_bytes "$R_FSSIZE") used: $(fmt_bytes "$WBYTES") writer file +" \
        "$R_NFILES data files of random data"
    echo "- writer: fio randwrite bs=$WRITER_BS_TXT, psync, fsync every 32 writes, on the $(fmt_bytes "$WBYTES") writer file," \
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
}

verify_report() {
    local base_version=""
    [[ -z $BASE_CLI ]] || base_version=$("$BASE_CLI" --version 2>&1 | head -n1 || echo "-")
    echo "## Freeze window with and without --verify"
    echo
    echo "- $CLI_LABEL: $CLI ($dm_version)${CLI_ARGS:+, extra options: $CLI_ARGS}"
    if [[ -n $BASE_CLI ]]; then
        echo "- $BASE_LABEL: $BASE_CLI ($base_version)${BASE_ARGS:+, extra options: $BASE_ARGS}"
    fi
    echo "- sources: for each size a fresh sparse image on a loop device (direct I/O $V_LOOP_DIO), ext4," \
        "mounted, ${VFILL}% of the image filled with random data (a writer file of 1/8 of the size" \
        "+ 64 MiB data files)"
    if ((VRATE > 0)); then
        echo "- write load: fio randwrite bs=$WRITER_BS_TXT at ${VRATE} MiB/s, psync, fsync every 32 writes, on the" \
            "writer file, started ${LEAD}s before each mirror, stopped when it exits (it keeps writing" \
            "during the verification after the thaw)"
    else
        echo "- write load: none (idle source)"
    fi
    echo "- mirror: \`drivemirror-cli mirror /dev/loopN TARGET --complete-when-ready --json [--verify]\`," \
        "new target file on the scratch dir, page cache dropped before each run, cancelled after ${TIMEOUT}s"
    echo "- runs: $RUNS per size, CLI and mode, interleaved: for each size, $RUNS rounds of" \
        "$CLI_LABEL without, $CLI_LABEL with --verify${BASE_CLI:+, $BASE_LABEL without, $BASE_LABEL with --verify}"
    echo
    python3 - "$VRESULTS" "$CLI_LABEL" "$BASE_LABEL" <<'EOF'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
new_label, base_label = sys.argv[2], sys.argv[3]
MIB, GIB = 2**20, 2**30

def num(v):
    return None if v in ("NA", "", None) else float(v)

def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None

def f(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"

def gib(b):
    return f"{b / GIB:.2f} GiB" if b >= GIB else f"{b / MIB:.0f} MiB"

sizes, clis = [], []
for r in rows:
    if r["size"] not in sizes:
        sizes.append(r["size"])
    if r["cli"] not in clis:
        clis.append(r["cli"])
size_bytes = {r["size"]: int(r["bytes"]) for r in rows}
sizes.sort(key=lambda s: size_bytes[s])

def completed(r):
    return r["final"] == "BLOCK_JOB_COMPLETED" and num(r["quiesce"]) is not None

stats = {}
for s in sizes:
    for c in clis:
        rs = [r for r in rows if r["size"] == s and r["cli"] == c]
        if not rs:
            continue
        wo = [r for r in rs if r["verify"] == "0"]
        wi = [r for r in rs if r["verify"] == "1"]
        fwo = [num(r["quiesce"]) * 1000 for r in wo if completed(r)]
        fwi = [num(r["quiesce"]) * 1000 for r in wi if completed(r)]
        vt = [num(r["verify_s"]) for r in wi if num(r["verify_s"]) is not None]
        stats[(s, c)] = dict(
            rs=rs, wo=wo, wi=wi, used=int(rs[0]["used"]),
            fwo_med=med(fwo), fwo_max=max(fwo) if fwo else None,
            fwi_med=med(fwi), fwi_max=max(fwi) if fwi else None,
            vt_med=med(vt), vt_n=len(vt),
            ident=sum(r["identical"] == "yes" for r in wi),
            clean=sum(r["fsck"] == "clean" for r in rs),
            failed=sum(r["rc"] != "0" for r in rs),
            writer=med([num(r["writer"]) for r in rs]))

def ms(med_, max_):
    return "-" if med_ is None else f"{med_:.0f} / {max_:.0f}"

has_base = base_label in clis and len(clis) > 1
print("| size | used | CLI | runs | freeze without --verify (median / max ms) "
      "| freeze with --verify (median / max ms) | verification time (median s) "
      "| verify identical | e2fsck clean" + (f" | freeze with --verify vs {base_label}" if has_base else "") + " |")
print("|---|---:|---|---:|---:|---:|---:|---|---|" + ("---:|" if has_base else ""))
for s in sizes:
    for c in clis:
        st = stats.get((s, c))
        if not st:
            continue
        runs = f"{len(st['wo'])} + {len(st['wi'])}"
        if st["failed"]:
            runs += f" ({st['failed']} failed)"
        if st["vt_med"] is not None:
            vt = f(st["vt_med"])
        elif st["fwi_med"] is not None and st["fwo_med"] is not None:
            # no BLOCK_JOB_VERIFYING: the verification ran inside the freeze
            vt = f"~{f((st['fwi_med'] - st['fwo_med']) / 1000)} (inside the freeze)"
        else:
            vt = "-"
        line = (f"| {s} | {gib(st['used'])} | {c} | {runs} | {ms(st['fwo_med'], st['fwo_max'])} "
                f"| {ms(st['fwi_med'], st['fwi_max'])} | {vt} | {st['ident']}/{len(st['wi'])} "
                f"| {st['clean']}/{len(st['rs'])}")
        if has_base:
            b = stats.get((s, base_label))
            if c == base_label:
                line += " | 1"
            elif b and b["fwi_med"] and st["fwi_med"] is not None:
                line += f" | {st['fwi_med'] / b['fwi_med']:.3f}"
            else:
                line += " | -"
        print(line + " |")
print()

# Does the freeze with --verify grow with the disk size? Smallest vs largest
# size, medians. "Grows" needs both a clear ratio and an absolute step (the
# medians are milliseconds on a shared machine).
if len(sizes) >= 2:
    s0, s1 = sizes[0], sizes[-1]
    sratio = size_bytes[s1] / size_bytes[s0]
    for c in clis:
        a, b = stats.get((s0, c)), stats.get((s1, c))
        if not a or not b or a["fwi_med"] is None or b["fwi_med"] is None:
            print(f"{c}: no completed --verify runs at both {s0} and {s1}; no size comparison.")
            print()
            continue
        m0, m1 = a["fwi_med"], b["fwi_med"]
        ratio = m1 / m0 if m0 > 0 else float("inf")
        grows = m1 - m0 > 50 and ratio >= 1.25
        if grows and ratio >= 0.75 * sratio:
            verdict = "it grows with the disk size, roughly in proportion"
        elif grows:
            verdict = "it grows with the disk size"
        else:
            verdict = "it does not grow with the disk size (difference within 50 ms or 25 %)"
        extra = ""
        if a["fwo_med"] is not None and b["fwo_med"] is not None:
            extra = (f" Without --verify: {a['fwo_med']:.0f} ms and {b['fwo_med']:.0f} ms; --verify adds "
                     f"{m0 - a['fwo_med']:+.0f} ms and {m1 - b['fwo_med']:+.0f} ms.")
        print(f"**{c}: with --verify the median freeze window is {m0:.0f} ms at {s0} and {m1:.0f} ms at {s1} "
              f"({ratio:.2f}x for {sratio:.1f}x the size): {verdict}.**{extra}")
        print()
if has_base:
    parts = []
    for s in sizes:
        n, b = stats.get((s, new_label)), stats.get((s, base_label))
        if n and b and n["fwi_med"] is not None and b["fwi_med"]:
            parts.append(f"{s}: {n['fwi_med']:.0f} ms vs {b['fwi_med']:.0f} ms ({n['fwi_med'] / b['fwi_med']:.3f}x)")
    if parts:
        print(f"Same-run ratio of the median freeze with --verify, {new_label} vs {base_label}: "
              + "; ".join(parts) + ".")
        print()

notes = []
for (s, c), st in stats.items():
    if st["failed"]:
        notes.append(f"**{s}, {c}: {st['failed']} of {len(st['rs'])} runs exited non-zero (see the per-run data).**")
    if st["ident"] < len(st["wi"]):
        notes.append(f"**{s}, {c}: --verify reported identical in only {st['ident']} of {len(st['wi'])} runs.**")
    if st["clean"] < len(st["rs"]):
        notes.append(f"**{s}, {c}: e2fsck -fn passed on only {st['clean']} of {len(st['rs'])} targets.**")
for n in notes:
    print(n)
    print()

print("<details><summary>Per-run data (--verify comparison)</summary>")
print()
print("| size | CLI | run | --verify | exit | end event | READY s | total s | READY to exit s | freeze ms "
      "| verification s | identical | compared MiB | hash-checked MiB | unchecked MiB | writer MiB/s | e2fsck |")
print("|---|---|---:|---|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|")
for r in rows:
    mb = lambda k: "-" if num(r[k]) is None else f"{num(r[k]) / MIB:.0f}"
    d = lambda k: "-" if r[k] == "NA" else r[k]
    q = "-" if num(r["quiesce"]) is None else f"{num(r['quiesce']) * 1000:.0f}"
    end = r["final"] if r["final"] != "NA" else "-"
    if r["error"] != "NA":
        end += f" ({r['error']})"
    print(f"| {r['size']} | {r['cli']} | {r['run']} | {'yes' if r['verify'] == '1' else 'no'} | {r['rc']} | {end} "
          f"| {d('ready')} | {r['wall']} | {d('complete_s')} | {q} | {d('verify_s')} | {d('identical')} "
          f"| {mb('compared')} | {mb('hashchk')} | {mb('unchecked')} | {d('writer')} | {r['fsck']} |")
print()
print("</details>")
EOF
    echo
    echo "Used = data on the source file system (\`df\` used). Freeze = \"quiesce-seconds\" of"
    echo "BLOCK_JOB_COMPLETED, median / max over the runs that completed: how long the source file"
    echo "system was frozen. Verification time = BLOCK_JOB_VERIFYING to BLOCK_JOB_COMPLETED (the"
    echo "verification after the thaw); a CLI without that event verifies inside the freeze, and"
    echo "the column shows the median freeze with --verify minus the one without. Verify"
    echo "identical = runs with --verify whose \"verify\" data said \"identical\": true. e2fsck clean ="
    echo "\`e2fsck -fn\` on the target passed, over all runs of the row (with and without --verify)."
    echo "Runs = runs without + with --verify."
    if [[ -n $BASE_CLI ]]; then
        echo "The last column: median freeze with --verify divided by the $BASE_LABEL's median for the"
        echo "same size in the same session (below 1 = shorter)."
    fi
}

REPORT="$WORK/report.md"
{
    echo "# drivemirror live-source benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: $(uname -n), kernel $(uname -r) ($(uname -m))"
    echo "- CPU: ${cpu_model:-?}, $(nproc) cores online; RAM $mem_total;" \
        "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- scratch dir: $DIR on $fs_src, filesystem ${fs_type:-?}; $(fmt_bytes "$FREE_AT_START") free at the start"
    echo "- drivemirror-cli: $CLI ($dm_version)${CLI_ARGS:+, extra options: $CLI_ARGS}"
    echo "- fio: $(fio --version); $(mkfs.ext4 -V 2>&1 | head -n1)"
    if ((DO_RATES)); then
        rate_report
    fi
    if ((${#VSIZE_LIST[@]} > 0)); then
        echo
        verify_report
    fi
    echo
    echo "Total benchmark time: $((ELAPSED / 60)) min $((ELAPSED % 60)) s (setup and checks included)."
} >"$REPORT"

cat "$REPORT"
if [[ -n $OUT ]]; then cp "$REPORT" "$OUT"; fi
log "finished in ${ELAPSED}s"
status=0
if awk -F'\t' 'NR > 1 && ($3 != "0" || $4 == "NA" || $14 != "clean") { bad = 1 } END { exit !bad }' "$RESULTS"; then
    log "some runs failed, never reached READY or left a target e2fsck does not pass; see the table"
    status=1
fi
if awk -F'\t' 'NR > 1 && ($8 != "0" || $23 != "clean" || ($7 == "1" && $13 != "yes")) { bad = 1 } END { exit !bad }' "$VRESULTS"; then
    log "--verify comparison: some runs failed, verified not identical or left a target e2fsck does not pass"
    status=1
fi
exit "$status"
