#!/usr/bin/env bash
# Mirroring onto an NBD export: `drivemirror-cli mirror SOURCE URI
# --complete-when-ready` next to nbdcopy and qemu-img convert writing the
# same source to the same kind of export, in one session, rows interleaved;
# on a qemu-nbd and an nbdkit export over a unix socket, and on one whose
# server answers every request late (a network round trip). Run on demand as
# root; prints markdown tables of medians, progress on stderr.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

DIR=/var/tmp/drivemirror-bench-nbd
SIZE=2G
RUNS=3
SETS_DEFAULT="qemu-nbd:data qemu-nbd:sparse nbdkit:data delay:data"
SETS=$SETS_DEFAULT
ROWS_ALL="drivemirror nbdcopy qemu-img qemu-img-W dd"
ROWS="drivemirror nbdcopy qemu-img dd"
DELAY_MS=2
TIMEOUT=600
CLI=""
CLI_ARGS=""
OUT=""
KEEP=0

usage() {
    cat <<'EOF'
Usage: bench_nbd.sh [options]

  --size SIZE     source and export size, binary units, a multiple of 4 MiB,
                  at least 64M (default 2G)
  --runs N        runs per row; the tables show medians (default 3)
  --rows "..."    tools to run, of: drivemirror nbdcopy qemu-img qemu-img-W dd
                  (default "drivemirror nbdcopy qemu-img dd"; the ratios
                  need nbdcopy)
  --sets "..."    row sets, SERVER:SOURCE each; SERVER is qemu-nbd, nbdkit or
                  delay, SOURCE is data or sparse (default
                  "qemu-nbd:data qemu-nbd:sparse nbdkit:data delay:data")
  --delay MS      round trip the delay sets add to every request (default 2)
  --timeout SEC   a copy still running after SEC seconds is stopped and
                  counted as failed (default 600)
  --dir DIR       scratch directory, on the disk to measure (default
                  /var/tmp/drivemirror-bench-nbd; created if missing, removed
                  again if it was created, unless --keep)
  --keep          keep the scratch directory: sources, the last export, each
                  run's output
  --cli PATH      drivemirror-cli to measure (default: build/release of this
                  tree, then PATH); copied into the scratch directory at the
                  start, so a rebuild during the session changes nothing
  --cli-args "."  extra mirror options, e.g. "--buf-size 64M"
  --output FILE   also write the report to FILE (--out FILE too)
  -h, --help      this text

Rows (SRC: the source image; URI: the export):
  drivemirror  drivemirror-cli mirror SRC URI --complete-when-ready
  nbdcopy      nbdcopy -- SRC URI
  qemu-img     qemu-img convert -n -f raw -O raw SRC URI
  qemu-img-W   the same with -W (out-of-order writes)
  dd           dd if=SRC bs=1M | nbdcopy -- - URI (nbdcopy from a pipe);
               left out of the delay sets unless --rows names it

Servers (a fresh sparse export file of SIZE for every run):
  qemu-nbd  qemu-nbd --format=raw --persistent --shared=0 --discard=unmap
            --socket=SOCK --export-name=disk FILE
  nbdkit    nbdkit --unix SOCK --foreground --filter=stats file FILE
  delay     with tc netem (checked at the start): qemu-nbd on TCP in a
            network namespace of its own whose loopback delays every packet
            by MS/2; without it: nbdkit's delay filter (rdelay=MS wdelay=MS,
            which covers write, zero and trim) on the nbdkit server above

Sources, written once: data is SIZE of incompressible random bytes; sparse
is 25 % random data in 1 MiB extents at scattered (seeded) offsets, the rest
holes.

Every run: the export file recreated, the server restarted, a page-cache
drop, the copy (wall time from start to exit), a sync of the export file
(the "+ sync" column), then cmp of SRC and the export file. Exit status: 0
when every run succeeded and every copy was identical, 1 otherwise, 2 for
bad arguments or an unmet precondition. A missed target (FAIL) is a result,
not an error.
EOF
}

die() { echo "bench_nbd: $*" >&2; exit 2; }

rows_given=0
while [[ $# -gt 0 ]]; do
    case "$1" in
    --size) SIZE=${2:?--size needs a value}; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; shift 2 ;;
    --rows) ROWS=${2:?--rows needs a value}; rows_given=1; shift 2 ;;
    --sets) SETS=${2:?--sets needs a value}; shift 2 ;;
    --delay) DELAY_MS=${2:?--delay needs a value}; shift 2 ;;
    --timeout) TIMEOUT=${2:?--timeout needs a value}; shift 2 ;;
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --cli-args) CLI_ARGS=${2?--cli-args needs a value}; shift 2 ;;
    --output | --out) OUT=${2:?--output needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done

[[ $(id -u) -eq 0 ]] || die "needs root (page-cache drop, network namespace)"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
[[ $DELAY_MS =~ ^[1-9][0-9]*$ ]] || die "--delay must be a positive number of milliseconds, got '$DELAY_MS'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive number of seconds, got '$TIMEOUT'"
BYTES=$(to_bytes "$SIZE") || die "bad --size: $SIZE"
((BYTES >= 64 << 20 && BYTES % (4 << 20) == 0)) || die "--size must be a multiple of 4 MiB, at least 64M"
for r in $ROWS; do
    [[ " $ROWS_ALL " == *" $r "* ]] || die "unknown row '$r' (rows: $ROWS_ALL)"
done
[[ -n ${ROWS// /} ]] || die "--rows names no row"
for s in $SETS; do
    [[ $s =~ ^(qemu-nbd|nbdkit|delay):(data|sparse)$ ]] || die "unknown set '$s' (SERVER:SOURCE, SERVER qemu-nbd|nbdkit|delay, SOURCE data|sparse)"
done
[[ -n ${SETS// /} ]] || die "--sets names no set"
read -r -a CLI_ARGV <<<"$CLI_ARGS"

missing=()
for t in qemu-img qemu-nbd nbdcopy nbdinfo dd cmp python3 setsid timeout truncate findmnt; do
    command -v "$t" >/dev/null || missing+=("$t")
done
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time (package time)")
((${#missing[@]} == 0)) || die "missing: ${missing[*]} (qemu-utils, libnbd-bin, nbdkit, time)"
need_nbdkit=0
[[ " $SETS " == *" nbdkit:"* || " $SETS " == *" delay:"* ]] && need_nbdkit=1
if ((need_nbdkit)) && ! command -v nbdkit >/dev/null; then
    die "nbdkit is missing (the nbdkit and delay sets need it; or --sets without them)"
fi

# The binary may be missing for a moment while someone rebuilds it: wait
# (at most 10 minutes) for one that answers --version.
find_cli() {
    if [[ -n $CLI ]]; then
        echo "$CLI"
        return
    fi
    local c
    for c in "$REPO_DIR/build/release/app/drivemirror-cli" "$(command -v drivemirror-cli || true)"; do
        [[ -n $c && -e $c ]] && echo "$c" && return
    done
    echo "$REPO_DIR/build/release/app/drivemirror-cli"
}
if [[ " $ROWS " == *" drivemirror "* ]]; then
    CLI=$(find_cli)
    deadline=$((SECONDS + 600))
    until [[ -x $CLI ]] && "$CLI" --version >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "no working drivemirror-cli at $CLI (use --cli)"
        log "waiting for $CLI (missing or not working yet)"
        sleep 10
    done
fi

# ------------------------------------------------------------------ scratch
created_dir=0
[[ -d $DIR ]] || { mkdir -p "$DIR"; created_dir=1; }
WORK=$(mktemp -d "$DIR/run.XXXXXX")
SOCK="$WORK/nbd.sock"
EXPORT="$WORK/export.img"
SRC_DATA="$WORK/src-data.img"
SRC_SPARSE="$WORK/src-sparse.img"
RESULTS="$WORK/results.tsv"
SERVER_PID=""
TOOL_PID=""
NETNS=""
NETEM_PORT=10809

# shellcheck disable=SC2317  # also reached from the EXIT trap
stop_tool() {
    [[ -n $TOOL_PID ]] || return 0
    # the tool runs in a session of its own (setsid): its whole group goes
    kill -TERM -- "-$TOOL_PID" 2>/dev/null || kill -TERM "$TOOL_PID" 2>/dev/null || true
    wait "$TOOL_PID" 2>/dev/null || true
    TOOL_PID=""
}
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    stop_pid "$SERVER_PID" TERM
    SERVER_PID=""
}

# shellcheck disable=SC2317  # the EXIT trap
cleanup() {
    set +e
    stop_tool
    stop_server
    [[ -z $NETNS ]] || ip netns del "$NETNS" 2>/dev/null
    if ((KEEP)); then
        log "kept $WORK"
    else
        rm -rf --one-file-system "$WORK"
        [[ $created_dir -eq 1 ]] && rmdir "$DIR" 2>/dev/null
    fi
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need=$((2 * BYTES + BYTES / 4 + (1 << 30)))
[[ " $SETS " == *":sparse"* ]] || need=$((2 * BYTES + (1 << 30)))
(($(free_bytes) >= need)) || die "$DIR needs $(fmt_bytes $need) free"
FREE_AT_START=$(free_bytes)

CLI_RUN=""
CLI_SUM="-"
if [[ " $ROWS " == *" drivemirror "* ]]; then
    CLI_RUN="$WORK/drivemirror-cli"
    cp "$CLI" "$CLI_RUN"
    CLI_SUM=$(sha256sum "$CLI_RUN" | cut -c1-12)
    CLI_MTIME=$(date -u -r "$CLI" '+%Y-%m-%d %H:%M UTC')
    mkdir -p "$WORK/state"
fi

# ------------------------------------------------------------------ delay
# tc netem in a network namespace of its own, when this kernel has it.
NETEM_NOTE=""
DELAY_VIA=nbdkit
if [[ " $SETS " == *" delay:"* ]]; then
    if ! command -v ip >/dev/null || ! command -v tc >/dev/null; then
        NETEM_NOTE="tc netem not checked: ip or tc (iproute2) is missing"
    else
        NETNS="dm-bench-nbd-$$"
        if out=$(ip netns add "$NETNS" 2>&1 && ip netns exec "$NETNS" ip link set lo up 2>&1 &&
            ip netns exec "$NETNS" tc qdisc add dev lo root netem delay "$((DELAY_MS * 500))us" 2>&1); then
            DELAY_VIA=netem
            NETEM_NOTE="tc netem works: the delay sets use qemu-nbd on TCP (127.0.0.1:$NETEM_PORT) in network namespace $NETNS, whose loopback delays every packet by $((DELAY_MS * 500)) us (a round trip of $DELAY_MS ms)"
        else
            ip netns del "$NETNS" 2>/dev/null || true
            NETNS=""
            NETEM_NOTE="tc netem is unavailable here ($(uname -r): \`tc qdisc add dev lo root netem\` in a network namespace says \"$(echo "$out" | tail -n1)\"; the kernel has no sch_netem): the delay sets use nbdkit's delay filter instead (rdelay=${DELAY_MS}ms wdelay=${DELAY_MS}ms: every read, write, zero and trim answered ${DELAY_MS} ms late, up to 16 at a time per connection, nbdkit's default --threads)"
            need_nbdkit=1
            command -v nbdkit >/dev/null || die "nbdkit is missing and tc netem is unavailable: no way to delay the export"
        fi
    fi
    log "$NETEM_NOTE"
fi

# ------------------------------------------------------------------ sources
make_sparse() { # FILE BYTES: 25 % random data in 1 MiB extents, the rest holes
    python3 - "$1" "$2" <<'EOF'
import os, random, sys
path, size = sys.argv[1], int(sys.argv[2])
ext = 1 << 20
slots = size // ext
rng = random.Random(20261207)
data = sorted(rng.sample(range(slots), max(1, slots // 4)))
with open(path, "wb") as f:
    f.truncate(size)
    for s in data:
        f.seek(s * ext)
        f.write(os.urandom(ext))
    f.flush()
    os.fsync(f.fileno())
print(f"{len(data)} data extents of 1 MiB at scattered offsets, {slots - len(data)} holes")
EOF
}
allocated() { echo $(($(stat -c '%b * %B' "$1"))); }

SPARSE_LAYOUT=""
if [[ " $SETS " == *":data"* ]]; then
    log "writing a $(fmt_bytes "$BYTES") source of incompressible data"
    write_random "$SRC_DATA" "$BYTES"
fi
if [[ " $SETS " == *":sparse"* ]]; then
    log "writing a $(fmt_bytes "$BYTES") sparse source (25 % data)"
    SPARSE_LAYOUT=$(make_sparse "$SRC_SPARSE" "$BYTES")
    [[ $(stat -c %s "$SRC_SPARSE") -eq $BYTES ]] || die "could not write $SRC_SPARSE"
fi

# ------------------------------------------------------------------ servers
URI=""
start_server() { # SERVER RUNTAG
    local kind=$1 tag=$2 deadline
    # each server in a session of its own: a Ctrl-C meant for the script
    # must not stop it under a running copy (qemu-nbd catches SIGINT);
    # the EXIT trap stops it by its pid
    rm -f "$SOCK" "$EXPORT"
    truncate -s "$BYTES" "$EXPORT"
    URI="nbd+unix:///disk?socket=$SOCK"
    case $kind in
    qemu-nbd)
        setsid qemu-nbd --format=raw --persistent --shared=0 --discard=unmap --socket="$SOCK" \
            --export-name=disk "$EXPORT" >"$WORK/$tag.server" 2>&1 &
        ;;
    nbdkit)
        setsid nbdkit --unix "$SOCK" --foreground --filter=stats file "$EXPORT" \
            statsfile="$WORK/$tag.stats" >"$WORK/$tag.server" 2>&1 &
        ;;
    delay)
        if [[ $DELAY_VIA == netem ]]; then
            URI="nbd://127.0.0.1:$NETEM_PORT/disk"
            setsid ip netns exec "$NETNS" qemu-nbd --format=raw --persistent --shared=0 --discard=unmap \
                --bind=127.0.0.1 --port="$NETEM_PORT" --export-name=disk "$EXPORT" >"$WORK/$tag.server" 2>&1 &
        else
            setsid nbdkit --unix "$SOCK" --foreground --filter=stats --filter=delay file "$EXPORT" \
                statsfile="$WORK/$tag.stats" rdelay="${DELAY_MS}ms" wdelay="${DELAY_MS}ms" \
                >"$WORK/$tag.server" 2>&1 &
        fi
        ;;
    esac
    SERVER_PID=$!
    deadline=$((SECONDS + 20))
    until in_ns nbdinfo --size "$URI" >/dev/null 2>&1; do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n5 "$WORK/$tag.server" >&2; die "$kind ended at its start"; }
        ((SECONDS < deadline)) || die "$kind did not answer within 20 s"
        sleep 0.1
    done
}
in_ns() { # runs its command in the delay namespace when the current set uses it
    if [[ $IN_NETNS == 1 ]]; then ip netns exec "$NETNS" "$@"; else "$@"; fi
}
server_cpu() { # user + system seconds of the running server so far
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' \
        "/proc/$SERVER_PID/stat" 2>/dev/null || echo NA
}

# ------------------------------------------------------------------ rows
# shellcheck disable=SC2016  # the dd row's $1 and $2 are the inner bash's
row_cmd() { # ROW SRC URI: sets CMD
    case $1 in
    drivemirror) CMD=("$CLI_RUN" mirror "$2" "$3" --complete-when-ready --state-dir "$WORK/state" "${CLI_ARGV[@]}") ;;
    nbdcopy) CMD=(nbdcopy -- "$2" "$3") ;;
    qemu-img) CMD=(qemu-img convert -n -f raw -O raw "$2" "$3") ;;
    qemu-img-W) CMD=(qemu-img convert -n -W -f raw -O raw "$2" "$3") ;;
    dd) CMD=(bash -c 'set -o pipefail; dd if="$1" bs=1M status=none | nbdcopy -- - "$2"' dd-nbdcopy "$2" "$3") ;;
    esac
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

printf 'set\trow\trun\trc\twall\tsync\tuser\tsys\tserver_cpu\tallocated\tidentical\tstats\n' >"$RESULTS"
FAILED=0

run_one() { # SET ROW RUN
    local set=$1 row=$2 run=$3 server=${1%%:*} source=${1#*:} src tag t0 t1 t2 rc=0 wall sync_s
    local user=NA sys=NA cpu ident alloc stats=""
    [[ $source == data ]] && src=$SRC_DATA || src=$SRC_SPARSE
    tag="${set/:/-}-$row-$run"
    start_server "$server" "$tag"
    sync
    settle_disk "$WORK"
    drop_caches
    row_cmd "$row" "$src" "$URI"
    log "$set $row: run $run of $RUNS"
    t0=$(now)
    if [[ $IN_NETNS == 1 ]]; then
        setsid timeout "$TIMEOUT" /usr/bin/time -o "$WORK/$tag.time" -f "%U %S" \
            ip netns exec "$NETNS" "${CMD[@]}" >"$WORK/$tag.out" 2>&1 &
    else
        setsid timeout "$TIMEOUT" /usr/bin/time -o "$WORK/$tag.time" -f "%U %S" \
            "${CMD[@]}" >"$WORK/$tag.out" 2>&1 &
    fi
    TOOL_PID=$!
    wait "$TOOL_PID" || rc=$?
    t1=$(now)
    TOOL_PID=""
    sync "$EXPORT"
    t2=$(now)
    wall=$(elapsed "$t0" "$t1")
    sync_s=$(elapsed "$t0" "$t2")
    # /usr/bin/time writes "Command exited with non-zero status N" first then
    if read -r user sys < <(tail -n1 "$WORK/$tag.time" 2>/dev/null); then :; fi
    [[ $user =~ ^[0-9.]+$ ]] || { user=NA; sys=NA; }
    cpu=$(server_cpu)
    stop_server
    if [[ -f $WORK/$tag.stats ]]; then
        stats=$(python3 - "$WORK/$tag.stats" <<'EOF'
import re, sys
units = {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
out = {}
for line in open(sys.argv[1]):
    m = re.match(r"^(read|write|zero|trim|flush|extents|cache): (\d+) ops, ([0-9.]+) s, ([0-9.]+) (\w+)", line)
    if m:
        out[m.group(1)] = (int(m.group(2)), round(float(m.group(4)) * units.get(m.group(5), 1)), m.group(3))
print(";".join(f"{k}={v[0]}/{v[1]}/{v[2]}" for k, v in out.items()))
EOF
        )
    fi
    alloc=$(allocated "$EXPORT")
    if ((rc != 0)); then
        ident="-"
        FAILED=1
        show_failure "$set $row run $run" "$rc" "$WORK/$tag.out"
    elif cmp -s "$src" "$EXPORT"; then
        ident=identical
    else
        ident=DIFFERENT
        FAILED=1
        log "$set $row run $run: the export differs from the source"
    fi
    log "  ${wall} s (${sync_s} s with the sync), exit $rc, $ident, export allocated $(fmt_bytes "$alloc")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$row" "$run" "$rc" "$wall" \
        "$sync_s" "$user" "$sys" "$cpu" "$alloc" "$ident" "${stats:--}" >>"$RESULTS"
    rm -f "$EXPORT"
}

# ------------------------------------------------------------------ facts
fs_type=$(findmnt -n -o FSTYPE -T "$DIR" 2>/dev/null | head -n1)
fs_src=$(df --output=source "$DIR" | tail -n1 | tr -d ' ')
mount_opts=$(findmnt -n -o OPTIONS -T "$DIR" 2>/dev/null | head -n1)
disk_facts=""
if dev=$(stat -c '%Hd:%Ld' "$DIR") && [[ -e /sys/dev/block/$dev ]]; then
    blk=$(basename "$(readlink -f "/sys/dev/block/$dev")")
    q=/sys/block/$blk/queue
    [[ -d $q ]] || q=$(readlink -f "/sys/dev/block/$dev")/../queue
    disk_facts=", rotational $(cat "$q/rotational" 2>/dev/null || echo ?), scheduler $(grep -o '\[[^]]*\]' "$q/scheduler" 2>/dev/null | tr -d '[]' || echo ?)"
fi
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
git_commit=$(git -C "$REPO_DIR" rev-parse --short=12 HEAD 2>/dev/null || echo "?")
git_dirty=$(git --no-optional-locks -C "$REPO_DIR" status --porcelain --untracked-files=no 2>/dev/null | wc -l) || git_dirty=0
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
START_EPOCH=$(date +%s)

log "scratch $WORK ($fs_type), size $(fmt_bytes "$BYTES"), runs $RUNS, sets: $SETS, rows: $ROWS"

# ------------------------------------------------------------------ main loop
for set in $SETS; do
    server=${set%%:*}
    IN_NETNS=0
    [[ $server == delay && $DELAY_VIA == netem ]] && IN_NETNS=1
    set_rows=()
    for r in $ROWS; do
        # nbdcopy from a pipe keeps one request in flight: against a
        # delaying server that is minutes a run; only when asked for
        if [[ $r == dd && $server == delay && $rows_given -eq 0 ]]; then continue; fi
        set_rows+=("$r")
    done
    n=${#set_rows[@]}
    for ((run = 1; run <= RUNS; run++)); do
        # interleaved, and each run starts one row further on, so drift
        # over the session and the position in the run hit every row alike
        for ((k = 0; k < n; k++)); do
            run_one "$set" "${set_rows[$(((k + run - 1) % n))]}" "$run"
        done
    done
done
END_EPOCH=$(date +%s)

# ------------------------------------------------------------------ report
FACTS="$WORK/facts.md"
{
    echo "# drivemirror onto an NBD export"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); the session took $(((END_EPOCH - START_EPOCH) / 60)) min $(((END_EPOCH - START_EPOCH) % 60)) s"
    echo "- host: $(uname -n), kernel $(uname -r) ($(uname -m)); CPU: ${cpu_model:-?}, $(nproc) cores online; RAM $mem_total"
    echo "- load average at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- disk: scratch dir $DIR on $fs_src$disk_facts, filesystem ${fs_type:-?} (${mount_opts:-?}); $(fmt_bytes "$FREE_AT_START") free at the start; sources and exports on the same disk"
    echo "- tree: commit $git_commit$( ((git_dirty > 0)) && echo " with $git_dirty tracked files modified")"
    if [[ -n $CLI_RUN ]]; then
        echo "- drivemirror-cli: $CLI ($("$CLI_RUN" --version 2>&1 | head -n1), built $CLI_MTIME, sha256 $CLI_SUM…)${CLI_ARGS:+, extra options: $CLI_ARGS}"
    fi
    echo "- $(nbdcopy --version | head -n1); $(qemu-img --version | head -n1); $(qemu-nbd --version | head -n1)$( ((need_nbdkit)) && echo "; $(nbdkit --version | head -n1)")"
    echo "- size: $(fmt_bytes "$BYTES"); runs per row: $RUNS; a fresh sparse export file, a restarted server and a page-cache drop before every run"
    [[ -z $SPARSE_LAYOUT ]] || echo "- sparse source: $SPARSE_LAYOUT; $(fmt_bytes "$(allocated "$SRC_SPARSE")") allocated"
    [[ -z $NETEM_NOTE ]] || echo "- delay: $NETEM_NOTE"
} >"$FACTS"

report() {
    cat "$FACTS"
    python3 - "$RESULTS" "$BYTES" "$DELAY_MS" "$DELAY_VIA" <<'EOF'
import csv, sys

path, size, delay_ms, delay_via = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = list(csv.DictReader(open(path), delimiter="\t"))
mib = size / 1048576

def median(v):
    v = sorted(v)
    return v[(len(v) - 1) // 2] if v else None

def num(x):
    try:
        return float(x)
    except ValueError:
        return None

def fmt_bytes(b):
    if b is None:
        return "-"
    return f"{b / 1073741824:.2f} GiB" if b >= 1073741824 else f"{b / 1048576:.0f} MiB"

NAMES = {
    "drivemirror": "drivemirror-cli mirror --complete-when-ready",
    "nbdcopy": "nbdcopy",
    "qemu-img": "qemu-img convert -n",
    "qemu-img-W": "qemu-img convert -n -W",
    "dd": "dd bs=1M \\| nbdcopy - (a pipe)",
}
SERVERS = {
    "qemu-nbd": "qemu-nbd, unix socket",
    "nbdkit": "nbdkit file, unix socket",
    "delay": (f"qemu-nbd on TCP, tc netem {delay_ms} ms round trip" if delay_via == "netem"
              else f"nbdkit file + delay filter, {delay_ms} ms a request, unix socket"),
}
SOURCES = {"data": "all-data source", "sparse": "sparse source (25 % data)"}

def stats_text(runs):
    # what the server saw in the run with the median wall time
    good = [r for r in runs if r["stats"] not in ("", "-")]
    if not good:
        return "-"
    good.sort(key=lambda r: float(r["wall"]))
    r = good[(len(good) - 1) // 2]
    d = {}
    for part in r["stats"].split(";"):
        k, v = part.split("=")
        n, b, t = v.split("/")
        d[k] = (int(n), int(b), float(t))
    out = []
    for k, word in (("write", "writes"), ("read", "reads")):
        if k in d and d[k][0]:
            n, b, _ = d[k]
            out.append(f"{n} {word} of {b / n / 1024:.0f} KiB")
    for k, word in (("zero", "zero"), ("trim", "trim")):
        if k in d and d[k][0]:
            n, b, _ = d[k]
            out.append(f"{n} {word} ({fmt_bytes(b)})")
    if "flush" in d and d["flush"][0]:
        n, _, t = d["flush"]
        out.append(f"{n} flush ({t:.2f} s)")
    return ", ".join(out) or "-"

sets = []
for r in rows:
    if r["set"] not in sets:
        sets.append(r["set"])
targets = []
durable = []
details = []
for s in sets:
    server, source = s.split(":")
    srows = [r for r in rows if r["set"] == s]
    tools = []
    for r in srows:
        if r["row"] not in tools:
            tools.append(r["row"])
    has_stats = any(r["stats"] not in ("", "-") for r in srows)
    med = {}
    for t in tools:
        runs = [r for r in srows if r["row"] == t]
        ok = [r for r in runs if r["rc"] == "0"]
        med[t] = median([float(r["wall"]) for r in ok])
    base = med.get("nbdcopy")
    print()
    print(f"### {SOURCES[source]} to {SERVERS[server]}: {fmt_bytes(size)}, medians")
    print()
    head = "| tool | seconds | MiB/s | vs nbdcopy | + sync s | client CPU s | server CPU s | export allocated | runs | identical |"
    align = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    if has_stats:
        head += " server saw (median run) |"
        align += "---|"
    print(head)
    print(align)
    for t in tools:
        runs = [r for r in srows if r["row"] == t]
        ok = [r for r in runs if r["rc"] == "0"]
        sec = med[t]
        ident = sum(r["identical"] == "identical" for r in runs)
        failed = len(runs) - len(ok)
        name = NAMES[t] + (f" ({failed} failed)" if failed else "")
        if sec is None:
            cells = ["-"] * 7
        else:
            ratio = f"{(base / sec):.2f}x" if base else "-"
            cpu = median([num(r["user"]) + num(r["sys"]) for r in ok if num(r["user"]) is not None])
            scpu = median([num(r["server_cpu"]) for r in ok if num(r["server_cpu"]) is not None])
            cells = [f"{sec:.2f}", f"{mib / sec:.0f}", ratio,
                     f"{median([float(r['sync']) for r in ok]):.2f}",
                     "-" if cpu is None else f"{cpu:.2f}", "-" if scpu is None else f"{scpu:.2f}",
                     fmt_bytes(median([int(r["allocated"]) for r in ok]))]
        line = f"| {name} | " + " | ".join(cells) + f" | {len(runs)} | {'yes' if ident == len(runs) else 'NO'} ({ident}/{len(runs)}) |"
        if has_stats:
            line += f" {stats_text(ok)} |"
        print(line)
    dm = med.get("drivemirror")
    label = f"{SOURCES[source]} to {SERVERS[server]}"
    if dm is None or base is None:
        na = f"{label}: n/a ({'drivemirror' if dm is None else 'nbdcopy'} not measured)"
        targets.append(na)
        durable.append(na)
    else:
        dmruns = [r for r in srows if r["row"] == "drivemirror"]
        bad = sum(r["identical"] != "identical" for r in dmruns)
        verdict = "pass" if dm <= base and not bad else "FAIL"
        why = f"; {bad} of {len(dmruns)} drivemirror copies failed or differ" if bad else ""
        targets.append(f"{label}: {verdict} ({mib / dm:.0f} against {mib / base:.0f} MiB/s, {base / dm:.2f}x{why})")
        dms = median([float(r["sync"]) for r in srows if r["row"] == "drivemirror" and r["rc"] == "0"])
        ncs = median([float(r["sync"]) for r in srows if r["row"] == "nbdcopy" and r["rc"] == "0"])
        verdict = "pass" if dms <= ncs else "FAIL"
        durable.append(f"{label}: {verdict} ({dms:.2f} against {ncs:.2f} s, {ncs / dms:.2f}x)")
    for r in srows:
        details.append(r)

print()
print("Targets: drivemirror at least the speed of nbdcopy (median wall time from start to exit, same row set):")
print()
for t in targets:
    print(f"- {t}")
print()
print("The same, counting until the export's file is on its disk (the + sync column: nbdcopy does not flush")
print("unless --flush, drivemirror flushes the export at READY, at Complete and at each checkpoint); not a target:")
print()
for t in durable:
    print(f"- {t}")
print()
print("<details><summary>Every run</summary>")
print()
print("| set | tool | run | exit | wall s | + sync s | user s | sys s | server CPU s | export allocated | check | server saw |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
for r in details:
    print(f"| {r['set']} | {r['row']} | {r['run']} | {r['rc']} | {r['wall']} | {r['sync']} | {r['user']} | {r['sys']} | "
          f"{r['server_cpu']} | {fmt_bytes(int(r['allocated']))} | {r['identical']} | {stats_text([r])} |")
print()
print("</details>")
EOF
}

if [[ -n $OUT ]]; then report | tee "$OUT"; else report; fi
exit "$FAILED"
