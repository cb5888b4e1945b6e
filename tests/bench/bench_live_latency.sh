#!/usr/bin/env bash
# User-latency benchmark: what a running mirror does to the I/O of the person
# who keeps working on the source disk. fio writes to a loop device at a fixed
# rate (64 KiB random O_DIRECT writes at 200/s on the raw device, then 4 KiB
# random O_DIRECT writes at 2,000/s on a mounted ext4) with no mirror, with
# drivemirror-cli mirror --yield off, --yield auto and --speed 200M, and
# reports fio's completion latency next to the mirror's own time to READY and
# speed, the mirror's speed on an idle source with and without yielding, and
# how well the mirror forecast its time to READY. Run on demand as root; see
# README.md in this directory for what the columns mean.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

DIR=/var/tmp/drivemirror-bench-latency
SIZE=8G
RUNS=3
WINDOW=8
LOADS="raw fs idle"
RAW_IOPS=200
FS_IOPS=2000
SPEED=200M
TIMEOUT=600
CLI=""
CLI_ARGS=""
OUT=""
KEEP_EVENTS=""
QUICK=0
SIZE_SET=0
RUNS_SET=0

usage() {
    cat <<'EOF'
Usage: bench_live_latency.sh [options]

  --dir DIR          scratch directory on the disk to measure; the source
                     image and the targets go there
                     (default /var/tmp/drivemirror-bench-latency)
  --size SIZE        source size, K/M/G/T are binary units (default 8G)
  --runs N           runs per row; the tables show medians (default 3)
  --window SEC       how long fio's latency is measured in each row (default 8)
  --loads "..."      subset of: raw (64 KiB writes on the loop device),
                     fs (4 KiB writes on ext4), idle (no load: yield off vs
                     auto) (default "raw fs idle")
  --raw-iops N       rate of the raw load (default 200)
  --fs-iops N        rate of the ext4 load (default 2000)
  --speed RATE       limit of the --speed row (default 200M)
  --timeout SEC      a mirror not READY after SEC seconds is cancelled and
                     counted as "never" (default 600)
  --cli PATH         drivemirror-cli to measure (default: build/release,
                     build/eng, build/bench, build/dev of this tree, then PATH)
  --cli-args "..."   extra options for drivemirror-cli mirror, in every row
  --out FILE         also write the report to FILE
  --keep-events DIR  keep each mirror's progress up to READY in
                     DIR/LOAD-ROW-RUN.tsv, a trace to replay the forecast on
                     (tests/engine/data/forecast, tst_forecast)
  --quick            smoke check: 2G, 1 run
  -h, --help         this text

Needs root (loop devices, mount, page-cache drop, kernel tracing), fio,
mkfs.ext4 (e2fsprogs), losetup, mount, umount, fsfreeze (util-linux), GNU dd,
cmp and python3; optional openssl (fast random data). The report (markdown)
goes to stdout, progress to stderr.
EOF
}

die() { echo "bench_live_latency: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --size) SIZE=${2:?--size needs a value}; SIZE_SET=1; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; RUNS_SET=1; shift 2 ;;
    --window) WINDOW=${2:?--window needs a value}; shift 2 ;;
    --loads) LOADS=${2:?--loads needs a value}; shift 2 ;;
    --raw-iops) RAW_IOPS=${2:?--raw-iops needs a value}; shift 2 ;;
    --fs-iops) FS_IOPS=${2:?--fs-iops needs a value}; shift 2 ;;
    --speed) SPEED=${2:?--speed needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --cli-args) CLI_ARGS=${2?--cli-args needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --keep-events) KEEP_EVENTS=${2:?--keep-events needs a value}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done

[[ -z $KEEP_EVENTS ]] || mkdir -p "$KEEP_EVENTS" || die "cannot create $KEEP_EVENTS"

if [[ $QUICK -eq 1 ]]; then
    [[ $SIZE_SET -eq 1 ]] || SIZE=2G
    [[ $RUNS_SET -eq 1 ]] || RUNS=1
fi

MIB=$((1 << 20))
GIB=$((1 << 30))
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ $WINDOW =~ ^[1-9][0-9]*$ ]] || die "--window must be a positive number of seconds, got '$WINDOW'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive number of seconds, got '$TIMEOUT'"
[[ $RAW_IOPS =~ ^[1-9][0-9]*$ ]] || die "--raw-iops must be a positive integer, got '$RAW_IOPS'"
[[ $FS_IOPS =~ ^[1-9][0-9]*$ ]] || die "--fs-iops must be a positive integer, got '$FS_IOPS'"
((TIMEOUT > WINDOW)) || die "--timeout must be longer than --window"
to_bytes "$SPEED" >/dev/null || die "bad --speed '$SPEED' (use e.g. 200M)"
BYTES=$(to_bytes "$SIZE") || die "bad size '$SIZE' (use e.g. 2G, 8G)"
((BYTES >= GIB)) || die "size '$SIZE' is too small: use at least 1G"
((BYTES % (4 * MIB) == 0)) || die "size '$SIZE' must be a multiple of 4 MiB"
DO_RAW=0 DO_FS=0 DO_IDLE=0
for l in $LOADS; do
    case "$l" in
    raw) DO_RAW=1 ;;
    fs) DO_FS=1 ;;
    idle) DO_IDLE=1 ;;
    *) die "unknown load in --loads: '$l' (raw, fs, idle)" ;;
    esac
done
((DO_RAW + DO_FS + DO_IDLE > 0)) || die "--loads is empty"
# the file the ext4 load rewrites: 1/8 of the source, at least 256 MiB
FS_FILE_BYTES=$((BYTES / 8 / MIB * MIB))
((FS_FILE_BYTES >= 256 * MIB)) || FS_FILE_BYTES=$((256 * MIB))

# ---------------------------------------------------------------- preconditions
[[ $EUID -eq 0 ]] || die "run as root: loop devices, mount, page-cache drop and kernel tracing need it"

if [[ -z $CLI ]]; then
    for c in "$REPO_DIR/build/release/app/drivemirror-cli" "$REPO_DIR/build/eng/app/drivemirror-cli" \
        "$REPO_DIR/build/bench/app/drivemirror-cli" "$REPO_DIR/build/dev/app/drivemirror-cli"; do
        if [[ -x $c ]]; then CLI=$c; break; fi
    done
    [[ -n $CLI ]] || CLI=$(command -v drivemirror-cli || true)
fi
[[ -n $CLI && -x $CLI ]] || die "drivemirror-cli not found; build it or pass --cli PATH"
CLI=$(readlink -f "$CLI")

missing=()
for c in python3 fio mkfs.ext4 losetup mount umount mountpoint fsfreeze findmnt dd cmp stat df sync truncate mkfifo; do
    command -v "$c" >/dev/null || missing+=("$c")
done
[[ ${#missing[@]} -eq 0 ]] || die "missing tools: ${missing[*]}"

# Does this build know --yield? Options are parsed before anything else, so a
# mirror without SOURCE and TARGET says either "unknown option" or that it
# needs SOURCE and TARGET, and touches nothing.
HAS_YIELD=1
probe=$(LC_ALL=C LANG=C "$CLI" mirror --yield off 2>&1 || true)
if grep -qi "unknown option.*--yield" <<<"$probe"; then
    HAS_YIELD=0
fi
NA_YIELD="n/a (this build has no --yield)"

CREATED_DIR=0
if [[ ! -d $DIR ]]; then
    mkdir -p "$DIR" || die "cannot create $DIR"
    CREATED_DIR=1
fi
DIR=$(cd "$DIR" && pwd)
WORK="$DIR/.latency.$$"
SRC_IMG="$WORK/source.img"
TGT="$WORK/target.img"
MNT="$WORK/mnt"
FIFO="$WORK/commands"
LOOP=""
MIRROR_PID=""
FIO_PID=""
CMD_FD=""


close_commands() {
    if [[ -n $CMD_FD ]]; then
        exec {CMD_FD}>&-
        CMD_FD=""
    fi
}

# Thaws and unmounts the ext4 source, detaches the loop device this script
# attached (and no other). Returns 1 if something stayed behind.
# shellcheck disable=SC2317  # reached from the EXIT trap
release_source() {
    local ok=0
    if [[ -d $MNT ]] && mountpoint -q "$MNT"; then
        fsfreeze -u "$MNT" 2>/dev/null || true
        for _ in 1 2 3 4 5; do
            umount "$MNT" 2>/dev/null && break
            sleep 1
        done
        if mountpoint -q "$MNT"; then
            echo "bench_live_latency: could not unmount $MNT" >&2
            ok=1
        fi
    fi
    if [[ -n $LOOP && $ok -eq 0 ]]; then
        if losetup -d "$LOOP" 2>/dev/null; then
            LOOP=""
        else
            echo "bench_live_latency: could not detach $LOOP" >&2
            ok=1
        fi
    fi
    return "$ok"
}

# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
    set +e
    # drivemirror-cli cancels the job on SIGTERM, thaws the file system and
    # removes its tracing instance
    stop_pid "$MIRROR_PID" TERM
    MIRROR_PID=""
    stop_pid "$FIO_PID" TERM
    FIO_PID=""
    close_commands
    release_source
    if [[ -n $LOOP ]]; then
        # still attached: keep the image so the loop device does not point at
        # a deleted file that nobody can find again
        echo "bench_live_latency: left behind: $LOOP on $SRC_IMG (mounted on $MNT?); detach by hand" >&2
    else
        rm -rf --one-file-system "$WORK"
        if [[ $CREATED_DIR -eq 1 ]]; then rmdir "$DIR" 2>/dev/null; fi
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK" "$MNT"

NEED=$((2 * BYTES + 2 * GIB))
FREE_AT_START=$(free_bytes)
((NEED <= FREE_AT_START)) ||
    die "not enough free space in $DIR: $((FREE_AT_START / MIB)) MiB free, need $((NEED / MIB)) MiB (source and target + 2 GiB)"

# ---------------------------------------------------------------- helpers


# Prints, tab-separated, from a mirror's --json events: seconds from
# JOB_STARTED to BLOCK_JOB_READY, len, final event, the forecast at the first
# progress event with offset >= 10% of len that carries forecast.ready-in
# (predicted s, actual s to READY from that event, offset % at that event),
# the share of pre-READY progress events that said yield.yielding, the median
# yield.share over them, and the error ("NA" where absent). With a second and
# third argument (TRACE TITLE) it also writes the progress up to READY as the
# forecast's trace (tests/engine/data/forecast): a line per event with the
# milliseconds since JOB_STARTED, len, offset, yielding (0/1) and the speed
# limit, then "ready MS".
EV_PARSE="$WORK/events.py"
cat >"$EV_PARSE" <<'EOF'
import json, statistics, sys
started = ready = final = length = error = None
granularity = 0
progress = []
for line in open(sys.argv[1], errors="replace"):
    try:
        m = json.loads(line)
    except ValueError:
        continue
    ev = m.get("event") if isinstance(m, dict) else None
    if not ev:
        continue
    d = m.get("data") or {}
    ts = m.get("timestamp") or {}
    t = ts.get("seconds", 0) + ts.get("microseconds", 0) / 1e6
    if ev == "JOB_STARTED" and started is None:
        started = t
        length = d.get("len", length)
        granularity = d.get("granularity", 0)
    elif ev == "BLOCK_JOB_READY" and ready is None:
        ready = t
        length = d.get("len", length)
    elif ev == "BLOCK_JOB_PROGRESS" and ready is None:
        progress.append((t, d))
    elif ev in ("BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED", "BLOCK_JOB_ERROR"):
        final = ev
        if d.get("error"):
            error = str(d["error"]).replace("\t", " ").replace("\n", " ")
pred = actual = at = None
if ready is not None and length:
    for t, d in progress:
        fc = d.get("forecast")
        if not isinstance(fc, dict) or d.get("offset", 0) < 0.1 * length:
            continue
        if isinstance(fc.get("ready-in"), (int, float)):
            pred, actual, at = fc["ready-in"], ready - t, 100.0 * d["offset"] / length
            break
ys = [d["yield"] for _, d in progress if isinstance(d.get("yield"), dict)]
ypct = 100.0 * sum(bool(y.get("yielding")) for y in ys) / len(ys) if ys else None
shares = [y["share"] for y in ys if isinstance(y.get("share"), (int, float))]
if len(sys.argv) > 3 and started is not None:
    with open(sys.argv[2], "w") as out:
        out.write("# %s\n# granularity %d\n" % (sys.argv[3], granularity))
        out.write("# ms since JOB_STARTED, len, offset, yielding (0/1), speed limit (bytes/s, 0 = none)\n")
        for t, d in progress:
            y = d.get("yield") if isinstance(d.get("yield"), dict) else {}
            out.write("%d %d %d %d %d\n" % (round((t - started) * 1000), d["len"], d["offset"],
                                            1 if y.get("yielding") else 0, d.get("speed", 0)))
        if ready is not None:
            out.write("ready %d\n" % round((ready - started) * 1000))
na = lambda v, f="{}": "NA" if v is None else f.format(v)
print("\t".join([na(ready - started if ready is not None and started is not None else None, "{:.3f}"),
                 na(length), na(final), na(pred, "{:.3f}"), na(actual, "{:.3f}"), na(at, "{:.1f}"),
                 na(ypct, "{:.0f}"), na(statistics.median(shares) if shares else None, "{:.2f}"),
                 na(error)]))
EOF

# Prints, tab-separated, from fio's JSON output: writes completed, clat p50,
# p99 and max in ms ("NA" where absent).
FIO_PARSE="$WORK/fio.py"
cat >"$FIO_PARSE" <<'EOF'
import json, sys
text = open(sys.argv[1], errors="replace").read()
try:
    job = json.loads(text[text.index("{"):])["jobs"][0]["write"]
    clat = job["clat_ns"]
    pct = clat.get("percentile", {})
    ms = lambda ns: "NA" if ns is None else f"{ns / 1e6:.3f}"
    print("\t".join([str(job["total_ios"]), ms(pct.get("50.000000")), ms(pct.get("99.000000")),
                     ms(clat.get("max"))]))
except (ValueError, KeyError, IndexError):
    print("NA\tNA\tNA\tNA")
EOF

# fio_args LOAD: the fio job of a load, without the run time
fio_args() {
    case "$1" in
    raw) echo "--filename=$LOOP --bs=64k --rate_iops=$RAW_IOPS" ;;
    fs) echo "--filename=${MNT//:/\\:}/user.dat --size=$FS_FILE_BYTES --bs=4k --rate_iops=$FS_IOPS" ;;
    esac
}

# start_fio LOAD SECONDS OUTPUT: the user's load, in the background (FIO_PID)
start_fio() {
    local load=$1 secs=$2 out=$3
    # shellcheck disable=SC2046  # fio_args is a word list on purpose
    fio --name=user $(fio_args "$load") --rw=randwrite --direct=1 --ioengine=psync \
        --norandommap --randrepeat=0 --time_based --runtime="$secs" \
        --output-format=json --output="$out" >"$out.log" 2>&1 &
    FIO_PID=$!
}

# wait_event PATTERN SECONDS: waits until the mirror's events contain PATTERN
# (0), the mirror exits (1) or SECONDS pass (2)
wait_event() {
    local deadline=$((SECONDS + $2))
    while ! grep -q "$1" "$WORK/events.json" 2>/dev/null; do
        kill -0 "$MIRROR_PID" 2>/dev/null || { grep -q "$1" "$WORK/events.json" 2>/dev/null && return 0; return 1; }
        ((SECONDS < deadline)) || return 2
        sleep 0.05
    done
}

# compare LOAD: "yes" when TARGET holds what the loop device holds, else
# "no". With ext4 mounted, its primary superblock (bytes 1024..2047) is left
# out: ext4 writes it when it is thawed after the final copy (needs_recovery
# flag, write time, checksum), so there the source differs from the frozen
# moment the target holds by design. Buffered reads: both sides were written
# with O_DIRECT, which leaves no stale page behind, and cmp on two files is
# twice as fast as on two O_DIRECT dd pipes.
compare() {
    local skip=0
    if [[ $1 == fs ]]; then
        skip=2048
        cmp -s -n 1024 "$LOOP" "$TGT" || { echo no; return 0; }
    fi
    if cmp -s -i "$skip" "$LOOP" "$TGT"; then
        echo yes
    else
        echo no
    fi
}

# warm_up LOAD: the load for a few seconds, not measured, so that the first
# row does not pay for a cold device or file system
warm_up() {
    start_fio "$1" 3 "$WORK/warm-up.json"
    wait "$FIO_PID" || log "  warm-up fio ($1) exited $?; see $WORK/warm-up.json.log"
    FIO_PID=""
}

RESULTS="$WORK/results.tsv"
printf 'load\trow\trun\tstate\tdone\tintended\tp50\tp99\tmax\tready\tlen\tpred\tactual\tat\tyieldpct\tshare\trc\tfinal\tidentical\tnote\n' >"$RESULTS"

# record LOAD ROW RUN STATE DONE INTENDED P50 P99 MAX READY LEN PRED ACTUAL AT YPCT SHARE RC FINAL IDENTICAL NOTE
record() {
    local IFS=$'\t'
    printf '%s\n' "$*" >>"$RESULTS"
}

# row_args ROW: the mirror options of a row
row_args() {
    case "$1" in
    off) echo "--yield off" ;;
    auto) echo "--yield auto" ;;
    speed) echo "--speed $SPEED" ;;
    esac
}

# run_row LOAD ROW RUN: one row of one run. LOAD raw, fs or idle; ROW none
# (fio alone), off, auto or speed.
run_row() {
    local load=$1 row=$2 run=$3
    local fio_out="$WORK/fio.json" ev="$WORK/events.json" err="$WORK/mirror.log"
    local ndone=NA p50=NA p99=NA max=NA intended=NA rc=NA identical=NA note=""
    local ready=NA len=NA final=NA pred=NA actual=NA at=NA ypct=NA share=NA error=NA
    if [[ $row == off || $row == auto ]] && ((HAS_YIELD == 0)); then
        record "$load" "$row" "$run" na NA NA NA NA NA NA NA NA NA NA NA NA NA NA NA "$NA_YIELD"
        return 0
    fi
    [[ $load == idle ]] || intended=$((WINDOW * $([[ $load == raw ]] && echo "$RAW_IOPS" || echo "$FS_IOPS")))
    rm -f "$TGT" "$fio_out" "$ev" "$err"
    drop_caches
    settle_disk "$DIR"

    if [[ $row == none ]]; then
        start_fio "$load" "$WINDOW" "$fio_out"
        rc=0
        wait "$FIO_PID" || rc=$?
        FIO_PID=""
        [[ $rc -eq 0 ]] || show_failure "fio ($load, no mirror)" "$rc" "$fio_out.log"
        IFS=$'\t' read -r ndone p50 p99 max <<<"$(python3 "$FIO_PARSE" "$fio_out")"
        record "$load" "$row" "$run" "$([[ $rc -eq 0 ]] && echo ok || echo fail)" "$ndone" "$intended" \
            "$p50" "$p99" "$max" NA NA NA NA NA NA NA "$rc" NA NA ""
        log "  $load, no mirror, run $run: $ndone of $intended writes, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms"
        return 0
    fi

    # The mirror takes its commands from a FIFO that this shell holds open, so
    # "complete" can be sent once the load has stopped.
    rm -f "$FIFO"
    mkfifo "$FIFO"
    exec {CMD_FD}<>"$FIFO"
    local t0=$SECONDS
    # shellcheck disable=SC2046,SC2086  # word lists on purpose
    "$CLI" mirror "$LOOP" "$TGT" --json --progress-interval 500 $(row_args "$row") $CLI_ARGS \
        <"$FIFO" >"$ev" 2>"$err" {CMD_FD}>&- &
    MIRROR_PID=$!
    local st=0
    wait_event '"JOB_STARTED"' 120 || st=$?
    if [[ $st -eq 0 && $load != idle ]]; then
        # the measured window, then the same load until READY
        start_fio "$load" "$WINDOW" "$fio_out"
        wait "$FIO_PID" || log "  fio ($load) exited $?; see $fio_out.log"
        FIO_PID=""
        if ! grep -q '"BLOCK_JOB_READY"' "$ev" && kill -0 "$MIRROR_PID" 2>/dev/null; then
            start_fio "$load" "$TIMEOUT" "$WORK/fio-rest.json"
        fi
    fi
    if [[ $st -eq 0 ]]; then
        wait_event '"BLOCK_JOB_READY"' $((TIMEOUT - (SECONDS - t0))) || st=$?
    fi
    # TERM, not INT: a background job of a script starts with SIGINT
    # ignored, and fio signalled before it installs its handler never stops
    stop_pid "$FIO_PID" TERM
    FIO_PID=""
    if [[ $st -eq 0 ]]; then
        # no load any more: whatever the job still has to copy is the last
        # state, so the copy must equal the source
        if [[ $load == fs ]]; then sync -f "$MNT/user.dat"; fi
        echo complete >&"$CMD_FD"
        local deadline=$((SECONDS + 300))
        while kill -0 "$MIRROR_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    elif [[ $st -eq 2 ]]; then
        note="not READY after ${TIMEOUT}s: cancelled"
        log "  $note"
    fi
    if kill -0 "$MIRROR_PID" 2>/dev/null; then
        [[ -n $note ]] || note="did not finish: cancelled"
        kill -TERM "$MIRROR_PID" 2>/dev/null || true
    fi
    rc=0
    wait "$MIRROR_PID" || rc=$?
    MIRROR_PID=""
    close_commands
    rm -f "$FIFO"

    if [[ $rc -eq 2 ]] && grep -qi "unknown option.*--yield" "$err"; then
        record "$load" "$row" "$run" na NA NA NA NA NA NA NA NA NA NA NA NA "$rc" NA NA "$NA_YIELD"
        return 0
    fi
    [[ $rc -eq 0 ]] || show_failure "mirror ($load, $(row_args "$row"), run $run)" "$rc" "$err"
    if [[ $load != idle && -f $fio_out ]]; then
        IFS=$'\t' read -r ndone p50 p99 max <<<"$(python3 "$FIO_PARSE" "$fio_out")"
    fi
    local trace=()
    if [[ -n $KEEP_EVENTS ]]; then
        trace=("$KEEP_EVENTS/$load-$row-$run.tsv"
            "$load load, mirror $(row_args "$row"), run $run of bench_live_latency.sh, $(date -u +%F)")
    fi
    IFS=$'\t' read -r ready len final pred actual at ypct share error \
        <<<"$(python3 "$EV_PARSE" "$ev" "${trace[@]}")"
    if [[ $rc -eq 0 && $final == BLOCK_JOB_COMPLETED ]]; then
        identical=$(compare "$load")
    fi
    [[ $error == NA ]] || note="${note:+$note; }$error"
    local state=ok
    [[ $rc -eq 0 && $identical == yes ]] || state=fail
    record "$load" "$row" "$run" "$state" "$ndone" "$intended" "$p50" "$p99" "$max" "$ready" "$len" \
        "$pred" "$actual" "$at" "$ypct" "$share" "$rc" "$final" "$identical" "$note"
    log "  $load, mirror $(row_args "$row"), run $run: exit $rc, READY after ${ready}s," \
        "user writes $ndone of $intended, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms," \
        "forecast ${pred}s vs ${actual}s, identical $identical"
    rm -f "$TGT"
}

START_EPOCH=$(date +%s)

# ---------------------------------------------------------------- source
log "scratch dir $DIR, source $SIZE, runs: $RUNS, window ${WINDOW}s, loads: $LOADS, CLI $CLI" \
    "($([[ $HAS_YIELD -eq 1 ]] && echo "has --yield" || echo "no --yield"))"
log "writing $(fmt_bytes "$BYTES") of random data to the source image"
write_random "$SRC_IMG" "$BYTES"
sync
LOOP_DIO=on
LOOP=$(losetup -f --show --direct-io=on "$SRC_IMG" 2>/dev/null) || {
    LOOP_DIO=off
    LOOP=$(losetup -f --show "$SRC_IMG")
} || die "cannot attach $SRC_IMG to a loop device"
[[ -b $LOOP ]] || die "losetup returned '$LOOP', not a block device"
[[ $LOOP_DIO == on ]] || log "the kernel refused --direct-io=on: the loop device goes through the page cache"

ROWS="none off auto speed"
if ((DO_RAW || DO_IDLE)); then
    for ((run = 1; run <= RUNS; run++)); do
        log "run $run/$RUNS on the raw loop device"
        if ((DO_RAW && run == 1)); then warm_up raw; fi
        if ((DO_RAW)); then
            for row in $ROWS; do run_row raw "$row" "$run"; done
        fi
        if ((DO_IDLE)); then
            for row in off auto; do run_row idle "$row" "$run"; done
        fi
    done
fi

if ((DO_FS)); then
    # ext4 over the random data; no discard (it would punch the rest of the
    # image into holes, which the mirror then skips), no lazy init (it would
    # write in the background)
    log "ext4 on $LOOP, $(fmt_bytes "$FS_FILE_BYTES") file for the load"
    mkfs.ext4 -q -F -E nodiscard,lazy_itable_init=0,lazy_journal_init=0 -L dm-bench-lat "$LOOP" >/dev/null ||
        die "mkfs.ext4 on $LOOP failed"
    mount -t ext4 "$LOOP" "$MNT" || die "cannot mount $LOOP on $MNT"
    write_random "$MNT/user.dat" "$FS_FILE_BYTES"
    sync
    warm_up fs
    for ((run = 1; run <= RUNS; run++)); do
        log "run $run/$RUNS on ext4"
        for row in $ROWS; do run_row fs "$row" "$run"; done
    done
fi

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
    echo "# drivemirror user-latency benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: $(uname -n), kernel $(uname -r) ($(uname -m))"
    echo "- CPU: ${cpu_model:-?}, $(nproc) cores online; RAM $mem_total;" \
        "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- scratch dir: $DIR on $fs_src, filesystem ${fs_type:-?}; $(fmt_bytes "$FREE_AT_START") free at the start"
    echo "- drivemirror-cli: $CLI ($dm_version)${CLI_ARGS:+, extra options: $CLI_ARGS};" \
        "$([[ $HAS_YIELD -eq 1 ]] && echo "knows --yield" || echo "has no --yield")"
    echo "- fio: $(fio --version); source: $SIZE of random data in an image on a loop device" \
        "(direct I/O $LOOP_DIO); target: a new image file in the same directory"
    echo "- mirror: \`drivemirror-cli mirror /dev/loopN TARGET --json --progress-interval 500 [row options]\`," \
        "completed with \"complete\" on stdin once it is READY and the load has stopped, then" \
        "\`cmp\` of source and target"
    echo "- load: fio psync, O_DIRECT, random writes; measured for the first ${WINDOW}s after the job" \
        "started, then the same load again until READY (not measured)"
    echo "- runs per row: $RUNS (rows interleaved)"
    echo
    python3 - "$RESULTS" "$WINDOW" "$RAW_IOPS" "$FS_IOPS" "$SPEED" "$(fmt_bytes "$FS_FILE_BYTES")" <<'EOF'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
window, raw_iops, fs_iops, speed, fs_file = sys.argv[2:7]
MIB = 2**20
NA_YIELD = "n/a (this build has no --yield)"

def num(v):
    return None if v in ("NA", "", None) else float(v)

def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None

def f(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"

def ms(x):
    return "-" if x is None else (f"{x:.2f}" if x < 10 else f"{x:.0f}")

LABEL = {"none": "no mirror", "off": "mirror --yield off", "auto": "mirror --yield auto",
         "speed": f"mirror --speed {speed}"}
LOADS = {"raw": f"64 KiB random writes at {raw_iops}/s on the loop device",
         "fs": f"4 KiB random writes at {fs_iops}/s on a {fs_file} file in the mounted ext4"}

def sel(load, row):
    return [r for r in rows if r["load"] == load and r["row"] == row]

def fc_err(r):
    p, a = num(r["pred"]), num(r["actual"])
    return None if p is None or a is None or a <= 0 else 100.0 * (p - a) / a

def summary(rs):
    """Medians of a row's runs (the runs that were not n/a)."""
    ok = [r for r in rs if r["state"] != "na"]
    ready = [num(r["ready"]) for r in ok]
    speeds = [num(r["len"]) / MIB / num(r["ready"]) for r in ok
              if num(r["ready"]) and num(r["len"]) is not None]
    errs = [fc_err(r) for r in ok]
    return dict(
        n=len(ok), failed=sum(r["state"] == "fail" for r in ok),
        done=med([num(r["done"]) for r in ok]), intended=med([num(r["intended"]) for r in ok]),
        p50=med([num(r["p50"]) for r in ok]), p99=med([num(r["p99"]) for r in ok]),
        max=med([num(r["max"]) for r in ok]),
        ready=med(ready), reached=sum(v is not None for v in ready), speed=med(speeds),
        pred=med([num(r["pred"]) for r in ok]), actual=med([num(r["actual"]) for r in ok]),
        err=med([abs(e) for e in errs if e is not None]),
        ident=sum(r["identical"] == "yes" for r in ok),
        checked=sum(r["identical"] in ("yes", "no") for r in ok))

def mirror_cells(s):
    if s["reached"] == 0:
        ready = "never"
    else:
        ready = f(s["ready"]) + ("" if s["reached"] == s["n"] else f" ({s['reached']}/{s['n']} reached)")
    fc = "-" if s["pred"] is None else f"{f(s['pred'], 1)} / {f(s['actual'], 1)} ({f(s['err'], 0)} %)"
    return [ready, f(s["speed"], 0), fc, f"{s['ident']}/{s['n']}"]

stats = {}
for load in ("raw", "fs"):
    if not any(r["load"] == load for r in rows):
        continue
    intended = med([num(r["intended"]) for r in rows if r["load"] == load])
    print(f"## Load: {LOADS[load]}")
    print()
    print(f"| | user writes done in {window} s (of {intended:.0f}) | p50 ms | p99 ms | max ms "
          "| mirror: time to READY s | mirror MiB/s | forecast at 10 %: predicted / actual s (error) "
          "| copy identical |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in ("none", "off", "auto", "speed"):
        rs = sel(load, row)
        if not rs:
            continue
        s = summary(rs)
        stats[(load, row)] = s
        if s["n"] == 0:
            print(f"| {LABEL[row]} | {NA_YIELD} | - | - | - | - | - | - | - |")
            continue
        done = "-" if s["done"] is None else f"{s['done']:.0f}"
        if s["failed"]:
            done += f" ({s['failed']} failed)"
        cells = [done, ms(s["p50"]), ms(s["p99"]), ms(s["max"])]
        cells += ["-", "-", "-", "-"] if row == "none" else mirror_cells(s)
        print(f"| {LABEL[row]} | " + " | ".join(cells) + " |")
    print()

if any(r["load"] == "idle" for r in rows):
    print("## Idle source (no load): mirror speed with and without yielding")
    print()
    print("| | time to READY s | mirror MiB/s | forecast at 10 %: predicted / actual s (error) | copy identical |")
    print("|---|---:|---:|---:|---|")
    for row in ("off", "auto"):
        rs = sel("idle", row)
        if not rs:
            continue
        s = summary(rs)
        stats[("idle", row)] = s
        if s["n"] == 0:
            print(f"| {LABEL[row]} | {NA_YIELD} | - | - | - |")
        else:
            print(f"| {LABEL[row]} | " + " | ".join(mirror_cells(s)) + " |")
    print()

# The goals the table is checked against
def verdict(ok):
    return "**pass**" if ok else "**FAIL**"

print("## Targets")
print()
for load in ("raw", "fs"):
    base, auto = stats.get((load, "none")), stats.get((load, "auto"))
    if not base:
        continue
    name = "64 KiB at " + raw_iops + "/s" if load == "raw" else "4 KiB at " + fs_iops + "/s on ext4"
    if not auto or auto["n"] == 0:
        print(f"- {name}: user p99 with --yield auto <= 2 x no-mirror p99 + 10 ms: {NA_YIELD}")
        print(f"- {name}: >= 95 % of the user's writes served with --yield auto: {NA_YIELD}")
        print(f"- {name}: --yield auto reaches READY under the load: {NA_YIELD}")
        continue
    if auto["p99"] is not None and base["p99"] is not None:
        limit = 2 * base["p99"] + 10
        print(f"- {name}: user p99 with --yield auto {ms(auto['p99'])} ms <= 2 x {ms(base['p99'])} + 10 = "
              f"{ms(limit)} ms: {verdict(auto['p99'] <= limit)}")
    else:
        print(f"- {name}: user p99 with --yield auto: not measured")
    if auto["done"] is not None and auto["intended"]:
        share = 100.0 * auto["done"] / auto["intended"]
        alone = ""
        if base["done"] is not None and base["intended"]:
            # what this machine serves without a mirror, for context
            alone = f" (no mirror: {100.0 * base['done'] / base['intended']:.1f} %)"
        print(f"- {name}: user's writes served with --yield auto {auto['done']:.0f} of {auto['intended']:.0f} "
              f"({share:.1f} %) >= 95 %{alone}: {verdict(share >= 95)}")
    print(f"- {name}: --yield auto reaches READY under the load: {auto['reached']} of {auto['n']} runs: "
          f"{verdict(auto['reached'] == auto['n'])}")
off, auto = stats.get(("idle", "off")), stats.get(("idle", "auto"))
if off is not None and auto is not None:
    if off["n"] == 0 or auto["n"] == 0:
        print(f"- idle source: --yield auto speed >= 95 % of --yield off: {NA_YIELD}")
    elif off["speed"] and auto["speed"] is not None:
        ratio = auto["speed"] / off["speed"]
        print(f"- idle source: --yield auto {auto['speed']:.0f} MiB/s vs --yield off {off['speed']:.0f} MiB/s "
              f"= {ratio:.3f} >= 0.95: {verdict(ratio >= 0.95)}")
errs = [(k, s["err"]) for k, s in stats.items() if k[1] != "none" and s["n"] and s["err"] is not None]
if errs:
    (wl, wr), worst = max(errs, key=lambda e: e[1])
    print(f"- forecast of the time to READY once 10 % is copied within 25 % (median |error| per row, "
          f"{len(errs)} rows): worst {worst:.0f} % ({wl}, {LABEL[wr]}): {verdict(worst <= 25)}")
else:
    print("- forecast of the time to READY once 10 % is copied within 25 %: n/a (no progress event "
          "carried forecast.ready-in)")
print()

print("<details><summary>Per-run data</summary>")
print()
print("| load | row | run | writes done | p50 ms | p99 ms | max ms | exit | end event | READY s | MiB/s "
      "| forecast predicted / actual s (at % copied) | yielding % of progress events | median share "
      "| identical | note |")
print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|")
for r in rows:
    d = lambda k: "-" if r[k] in ("NA", "") else r[k]
    spd = "-"
    if num(r["ready"]) and num(r["len"]) is not None:
        spd = f"{num(r['len']) / MIB / num(r['ready']):.0f}"
    fc = "-" if num(r["pred"]) is None else f"{r['pred']} / {r['actual']} (at {r['at']} %)"
    print(f"| {r['load']} | {LABEL[r['row']]} | {r['run']} | {d('done')} | {d('p50')} | {d('p99')} | {d('max')} "
          f"| {d('rc')} | {d('final')} | {d('ready')} | {spd} | {fc} | {d('yieldpct')} | {d('share')} "
          f"| {d('identical')} | {d('note')} |")
print()
print("</details>")
EOF
    echo
    echo "User writes done = writes fio completed in its ${WINDOW} s window (psync, one at a time: a"
    echo "slow write delays the next ones), of rate x window intended. p50 / p99 / max = fio's"
    echo "completion latency (clat) over that window. Time to READY = BLOCK_JOB_READY minus"
    echo "JOB_STARTED; mirror MiB/s = job length / time to READY. Forecast = forecast.ready-in of the"
    echo "first progress event at or past 10 % copied, against the time from that event to READY;"
    echo "error = (predicted - actual) / actual, median of |error|. Copy identical = \`cmp\` of"
    echo "source and target after Complete, with no load running (on ext4 without its primary"
    echo "superblock, which ext4 writes at the thaw). Medians over the runs."
    echo
    echo "Total benchmark time: $((ELAPSED / 60)) min $((ELAPSED % 60)) s (setup and checks included)."
} >"$REPORT"

cat "$REPORT"
if [[ -n $OUT ]]; then cp "$REPORT" "$OUT"; fi
log "finished in ${ELAPSED}s"
if awk -F'\t' 'NR > 1 && $4 == "fail" { bad = 1 } END { exit !bad }' "$RESULTS"; then
    log "some runs failed or left a target that differs from the source; see the per-run data"
    exit 1
fi
exit 0
