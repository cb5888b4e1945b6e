#!/usr/bin/env bash
# Throughput benchmark: drivemirror-cli mirror against dd, qemu-img convert and
# the read+write limit fio measures on the same disk. Run on demand as root;
# see README.md in this directory for what the columns mean.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench_lib.sh
source "$SCRIPT_DIR/bench_lib.sh"
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

DIR=/var/tmp/drivemirror-bench
SIZES="2G 8G"
RUNS=3
CLI=""
CLI_ARGS=""
TOOLS="fio drivemirror qemu-img dd qemu-mirror"
OUT=""
QUICK=0
SIZES_SET=0
RUNS_SET=0

usage() {
    cat <<'EOF'
Usage: bench_mirror.sh [options]

  --dir DIR         scratch directory on the disk to measure
                    (default /var/tmp/drivemirror-bench)
  --sizes "2G 8G"   image sizes, K/M/G/T are binary units (default "2G 8G")
  --runs N          runs per image and tool; the table shows medians (default 3)
  --cli PATH        drivemirror-cli to measure (default: build/eng, build/bench,
                    build/dev of this tree, then PATH)
  --cli-args "..."  extra options for drivemirror-cli mirror, e.g. "--buf-size 64M"
  --tools "..."     subset of: fio drivemirror qemu-img dd qemu-mirror
                    (default: all)
  --out FILE        also write the report to FILE
  --quick           smoke check: 1G, 1 run
  -h, --help        this text

Needs root (page-cache drop), fio with io_uring, qemu-img, GNU dd, cmp,
/usr/bin/time and python3. The report (markdown) goes to stdout, progress to
stderr.
EOF
}

die() { echo "bench_mirror: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
    --dir) DIR=${2:?--dir needs a value}; shift 2 ;;
    --sizes) SIZES=${2:?--sizes needs a value}; SIZES_SET=1; shift 2 ;;
    --runs) RUNS=${2:?--runs needs a value}; RUNS_SET=1; shift 2 ;;
    --cli) CLI=${2:?--cli needs a value}; shift 2 ;;
    --cli-args) CLI_ARGS=${2?--cli-args needs a value}; shift 2 ;;
    --tools) TOOLS=${2:?--tools needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
done

if [[ $QUICK -eq 1 ]]; then
    [[ $SIZES_SET -eq 1 ]] || SIZES="1G"
    [[ $RUNS_SET -eq 1 ]] || RUNS=1
fi

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, got '$RUNS'"
for t in $TOOLS; do
    case "$t" in
    fio | drivemirror | qemu-img | dd | qemu-mirror) ;;
    *) die "unknown tool in --tools: $t" ;;
    esac
done
has_tool() { [[ " $TOOLS " == *" $1 "* ]]; }

# SIZE with optional binary suffix -> bytes

EXTENT=$((4 << 20))
declare -a SIZE_BYTES=()
max_bytes=0
for s in $SIZES; do
    b=$(to_bytes "$s") || die "bad size '$s' (use e.g. 512M, 2G)"
    ((b >= 16 * EXTENT)) || die "size '$s' is too small: use at least 64M"
    ((b % EXTENT == 0)) || die "size '$s' must be a multiple of 4 MiB"
    SIZE_BYTES+=("$b")
    ((b > max_bytes)) && max_bytes=$b
done
[[ ${#SIZE_BYTES[@]} -gt 0 ]] || die "--sizes is empty"

# ---------------------------------------------------------------- preconditions
[[ $EUID -eq 0 ]] || die "run as root: every run starts with a dropped page cache (/proc/sys/vm/drop_caches)"

if [[ -z $CLI ]]; then
    for c in "$REPO_DIR/build/eng/app/drivemirror-cli" "$REPO_DIR/build/bench/app/drivemirror-cli" \
        "$REPO_DIR/build/dev/app/drivemirror-cli"; do
        if [[ -x $c ]]; then CLI=$c; break; fi
    done
    [[ -n $CLI ]] || CLI=$(command -v drivemirror-cli || true)
fi
if has_tool drivemirror; then
    [[ -n $CLI && -x $CLI ]] || die "drivemirror-cli not found; build it or pass --cli PATH"
    CLI=$(readlink -f "$CLI")
fi

missing=()
for c in python3 dd cmp stat df sync; do command -v "$c" >/dev/null || missing+=("$c"); done
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time (apt-get install time)")
if has_tool fio; then command -v fio >/dev/null || missing+=("fio"); fi
if has_tool qemu-img; then command -v qemu-img >/dev/null || missing+=("qemu-img (apt-get install qemu-utils)"); fi
[[ ${#missing[@]} -eq 0 ]] || die "missing tools: ${missing[*]}"

QEMU_BIN=""
QEMU_NOTE=""
if has_tool qemu-mirror; then
    QEMU_BIN=$(command -v qemu-system-x86_64 || true)
    [[ -n $QEMU_BIN ]] || QEMU_BIN=$(command -v qemu-storage-daemon || true)
    if [[ -z $QEMU_BIN ]]; then
        QEMU_NOTE="QEMU drive-mirror skipped: neither qemu-system-x86_64 nor qemu-storage-daemon is installed."
        TOOLS=${TOOLS//qemu-mirror/}
    fi
fi

CREATED_DIR=0
if [[ ! -d $DIR ]]; then
    mkdir -p "$DIR" || die "cannot create $DIR"
    CREATED_DIR=1
fi
DIR=$(cd "$DIR" && pwd)
WORK="$DIR/.bench.$$"
mkdir -p "$WORK"

cleanup() {
    rm -rf "$WORK"
    rm -f "$DIR"/dm-bench-*
    if [[ $CREATED_DIR -eq 1 ]]; then rmdir "$DIR" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# O_DIRECT must work on --dir (tmpfs before Linux 6.6, for one, refuses it).
if ! dd if=/dev/zero of="$WORK/odirect" bs=4096 count=1 oflag=direct status=none 2>/dev/null; then
    die "$DIR does not support O_DIRECT; pick a directory on a real disk filesystem"
fi
rm -f "$WORK/odirect"

free_bytes=$(df --output=avail -B1 "$DIR" | tail -n1 | tr -d ' ')
margin=$((2 << 30))
need=$((3 * max_bytes + margin))
if ((free_bytes < need)); then
    die "not enough free space in $DIR: $((free_bytes >> 20)) MiB free, need $((need >> 20)) MiB (3 x the largest size + 2 GiB margin)"
fi

# ---------------------------------------------------------------- helpers

allocated() { stat -c '%b %B' "$1" | awk '{ printf "%.0f\n", $1 * $2 }'; }

# Compares two files with O_DIRECT readers: cmp alone reads both files in small
# alternating chunks, which defeats readahead and takes minutes on large images.
same_content() {
    cmp -s <(dd if="$1" iflag=direct bs=4M status=none) <(dd if="$2" iflag=direct bs=4M status=none)
}

RESULTS="$WORK/results.tsv"
printf 'image\tsize\ttool\trun\trc\twall\tuser\tsys\trss_kib\talloc\tverified\n' >"$RESULTS"

# record IMAGE SIZE TOOL RUN RC TIMEFILE ALLOC VERIFIED
record() {
    local t wall=NA user=NA sys=NA rss=NA
    if [[ -s $6 ]]; then
        # the last line holds the format; "Command exited with..." may precede it
        t=$(tail -n1 "$6")
        read -r wall user sys rss <<<"$t"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$wall" "$user" "$sys" "$rss" "$7" "$8" >>"$RESULTS"
}

# Prints the last lines of a failed run's log.

make_full_image() {
    local f=$1 bytes=$2
    if command -v openssl >/dev/null; then
        # AES-CTR keystream: incompressible and far faster than /dev/urandom
        # (openssl ends on SIGPIPE once head has enough: the size check below decides)
        { openssl enc -aes-128-ctr -pass pass:drivemirror-bench -nosalt -pbkdf2 -in /dev/zero 2>/dev/null || true; } |
            head -c "$bytes" | dd of="$f" bs=4M iflag=fullblock status=none
    else
        { head -c "$bytes" /dev/urandom || true; } | dd of="$f" bs=4M iflag=fullblock status=none
    fi
    [[ $(stat -c %s "$f") -eq $bytes ]] || die "could not create $f"
}

# Sparse image: 10% random data in scattered 4 MiB extents, 2% 4 MiB extents of
# written (allocated) zeroes, the rest holes; 90% of the image reads as zeroes.
make_sparse_image() {
    python3 - "$1" "$2" "$EXTENT" <<'EOF'
import os, random, sys
path, size, ext = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
slots = size // ext
rng = random.Random(20240611)
order = list(range(slots))
rng.shuffle(order)
n_data = max(1, round(slots * 0.10))
n_zero = max(1, round(slots * 0.02))
data, zero = sorted(order[:n_data]), sorted(order[n_data:n_data + n_zero])
zeros = bytes(ext)
with open(path, "wb") as f:
    f.truncate(size)
    for s in data:
        f.seek(s * ext)
        f.write(os.urandom(ext))
    for s in zero:
        f.seek(s * ext)
        f.write(zeros)
    f.flush()
    os.fsync(f.fileno())
print(f"{n_data} data extents, {n_zero} written-zero extents of {slots}")
EOF
}


# QMP driver for QEMU's own mirror: blockdev-mirror sync=full, complete at READY.
QMP_DRIVER="$WORK/qmp_mirror.py"
cat >"$QMP_DRIVER" <<'EOF'
import json, os, socket, subprocess, sys, time

binary, src, dst, sock_path = sys.argv[1:5]
if os.path.basename(binary).startswith("qemu-storage-daemon"):
    cmd = [binary, "--chardev", f"socket,id=qmp0,path={sock_path},server=on,wait=off",
           "--monitor", "chardev=qmp0"]
else:
    cmd = [binary, "-machine", "none", "-nodefaults", "-no-user-config", "-display", "none",
           "-qmp", f"unix:{sock_path},server=on,wait=off"]
proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
try:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(200):
        try:
            sock.connect(sock_path)
            break
        except OSError:
            if proc.poll() is not None:
                sys.exit(f"{binary} exited with {proc.returncode} before QMP was up")
            time.sleep(0.05)
    else:
        sys.exit("QMP socket did not come up")
    stream = sock.makefile("rw")
    events = []

    def read_msg():
        line = stream.readline()
        if not line:
            sys.exit("QMP connection closed")
        return json.loads(line)

    def execute(name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        stream.write(json.dumps(msg) + "\n")
        stream.flush()
        while True:
            m = read_msg()
            if "return" in m:
                return m["return"]
            if "error" in m:
                sys.exit(f"{name}: {m['error'].get('desc', m['error'])}")
            events.append(m)

    def wait_event(*names):
        while True:
            while events:
                m = events.pop(0)
                if m.get("event") in names and m.get("data", {}).get("device") == "bench":
                    return m
            events.append(read_msg())

    read_msg()  # greeting
    execute("qmp_capabilities")
    for node, path in (("src", src), ("dst", dst)):
        execute("blockdev-add", **{
            "driver": "raw", "node-name": node, "cache": {"direct": True},
            "file": {"driver": "file", "filename": path, "aio": "native",
                     "cache": {"direct": True}}})
    execute("blockdev-mirror", **{"job-id": "bench", "device": "src", "target": "dst",
                                  "sync": "full"})
    m = wait_event("BLOCK_JOB_READY", "BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED")
    if m["event"] != "BLOCK_JOB_READY":
        sys.exit(f"mirror ended before READY: {m}")
    execute("block-job-complete", device="bench")
    m = wait_event("BLOCK_JOB_COMPLETED", "BLOCK_JOB_CANCELLED")
    if m["event"] != "BLOCK_JOB_COMPLETED" or "error" in m.get("data", {}):
        sys.exit(f"mirror did not complete: {m}")
    execute("blockdev-del", **{"node-name": "dst"})
    execute("blockdev-del", **{"node-name": "src"})
    execute("quit")
    proc.wait(timeout=60)
finally:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
EOF

# Prints "read_ms write_ms" from a fio JSON report.
FIO_PARSE="$WORK/fio_parse.py"
cat >"$FIO_PARSE" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
d = json.loads(text[text.index("{"):])
jobs = {j["jobname"]: j for j in d["jobs"]}
print(jobs["read-src"]["read"]["runtime"], jobs["write-scratch"]["write"]["runtime"])
EOF

# ---------------------------------------------------------------- one run per tool
# run_tool TOOL IMAGE_LABEL SIZE_LABEL BYTES SRC RUN VERIFY(0/1)
run_tool() {
    local tool=$1 label=$2 slabel=$3 bytes=$4 src=$5 run=$6 verify=$7
    local dst="$DIR/dm-bench-target.img" tfile="$WORK/time" out="$WORK/out.log"
    local rc=0 alloc=NA verified=- ms
    rm -f "$dst" "$DIR/dm-bench-fio-scratch" "$tfile"
    drop_caches
    case "$tool" in
    drivemirror)
        # shellcheck disable=SC2086  # CLI_ARGS is a word list on purpose
        /usr/bin/time -o "$tfile" -f "%e %U %S %M" "$CLI" mirror "$src" "$dst" \
            --complete-when-ready $CLI_ARGS >"$out" 2>&1 || rc=$?
        ;;
    qemu-img)
        /usr/bin/time -o "$tfile" -f "%e %U %S %M" qemu-img convert -t none -T none -W \
            -f raw -O raw "$src" "$dst" >"$out" 2>&1 || rc=$?
        ;;
    dd)
        /usr/bin/time -o "$tfile" -f "%e %U %S %M" dd if="$src" of="$dst" \
            iflag=direct oflag=direct bs=4M >"$out" 2>&1 || rc=$?
        ;;
    qemu-mirror)
        truncate -s "$bytes" "$dst"
        /usr/bin/time -o "$tfile" -f "%e %U %S %M" python3 "$QMP_DRIVER" "$QEMU_BIN" \
            "$src" "$dst" "$WORK/qmp.sock" >"$out" 2>&1 || rc=$?
        rm -f "$WORK/qmp.sock"
        ;;
    fio)
        local esc_src=${src//:/\\:} esc_dst=${DIR//:/\\:}/dm-bench-fio-scratch
        cat >"$WORK/limit.fio" <<EOF
[global]
direct=1
bs=1M
iodepth=16
ioengine=io_uring
size=$bytes
fallocate=none

[read-src]
rw=read
filename=$esc_src

[write-scratch]
rw=write
filename=$esc_dst
end_fsync=1
EOF
        /usr/bin/time -o "$tfile" -f "%e %U %S %M" fio --output-format=json \
            --output="$WORK/fio.json" "$WORK/limit.fio" >"$out" 2>&1 || rc=$?
        if [[ $rc -eq 0 ]] && ms=$(python3 "$FIO_PARSE" "$WORK/fio.json" 2>>"$out"); then
            local rms wms
            read -r rms wms <<<"$ms"
            ((wms > rms)) || wms=$rms
            # the limit's "wall time" is the slower of the two concurrent streams
            local fuser fsys frss
            read -r _ fuser fsys frss <<<"$(tail -n1 "$tfile")"
            awk -v ms="$wms" -v u="$fuser" -v s="$fsys" -v m="$frss" \
                'BEGIN { printf "%.3f %s %s %s\n", ms / 1000, u, s, m }' >"$tfile"
            alloc=$(allocated "$DIR/dm-bench-fio-scratch")
        else
            [[ $rc -ne 0 ]] || rc=1
        fi
        rm -f "$DIR/dm-bench-fio-scratch"
        ;;
    esac
    if [[ $rc -ne 0 ]]; then
        show_failure "$tool ($label $slabel run $run)" "$rc" "$out"
    elif [[ $tool != fio ]]; then
        alloc=$(allocated "$dst")
        if [[ $verify -eq 1 ]]; then
            if same_content "$src" "$dst"; then verified=yes; else verified=DIFFERS; fi
        fi
    fi
    record "$label" "$slabel" "$tool" "$run" "$rc" "$tfile" "$alloc" "$verified"
    local wall alloc_text=NA
    wall=$(tail -n1 "$RESULTS" | cut -f6)
    [[ $alloc == NA ]] || alloc_text=$(fmt_bytes "$alloc")
    log "  $tool run $run: exit $rc, ${wall}s, target allocated $alloc_text, verified $verified"
    rm -f "$dst"
}

# ---------------------------------------------------------------- machine facts
START_EPOCH=$(date +%s)
fs_type=$(findmnt -n -o FSTYPE -T "$DIR" 2>/dev/null | head -n1)
[[ -n $fs_type ]] || fs_type=$(stat -f -c %T "$DIR")
fs_src=$(df --output=source "$DIR" | tail -n1 | tr -d ' ')
mount_opts=$(findmnt -n -o OPTIONS -T "$DIR" 2>/dev/null | head -n1)
cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
dm_version=$([[ -n $CLI ]] && "$CLI" --version 2>&1 | head -n1 || echo "-")

FACTS="$WORK/facts.md"
{
    echo "# drivemirror throughput benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- host: $(uname -n), kernel $(uname -r) ($(uname -m))"
    echo "- CPU: ${cpu_model:-?}, $(nproc) cores online; RAM $mem_total"
    echo "- scratch dir: $DIR on $fs_src, filesystem $fs_type (${mount_opts:-?})"
    echo "- free space before the run: $(fmt_bytes "$free_bytes")"
    echo "- drivemirror-cli: ${CLI:-not measured} ($dm_version)${CLI_ARGS:+, extra options: $CLI_ARGS}"
    if has_tool qemu-img; then echo "- qemu-img: $(qemu-img --version | head -n1)"; fi
    if has_tool fio; then echo "- fio: $(fio --version)"; fi
    echo "- dd: $(dd --version | head -n1)"
    if [[ -n $QEMU_BIN ]]; then echo "- QEMU mirror via: $QEMU_BIN ($("$QEMU_BIN" --version | head -n1))"; fi
    echo "- sizes: $SIZES; runs per image and tool: $RUNS"
} >"$FACTS"

log "scratch dir $DIR ($fs_type), free $(fmt_bytes "$free_bytes"), sizes: $SIZES, runs: $RUNS, tools: $TOOLS"
[[ -z $QEMU_NOTE ]] || log "$QEMU_NOTE"

IMAGES="$WORK/images.md"
: >"$IMAGES"

# ---------------------------------------------------------------- main loop
idx=0
for slabel in $SIZES; do
    bytes=${SIZE_BYTES[$idx]}
    idx=$((idx + 1))
    full="$DIR/dm-bench-full-$slabel.img"
    sparse="$DIR/dm-bench-sparse-$slabel.img"
    log "creating $slabel all-data image"
    t0=$(date +%s.%N)
    make_full_image "$full" "$bytes"
    log "  done in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
    log "creating $slabel 90%-zero image"
    layout=$(make_sparse_image "$sparse" "$bytes")
    log "  $layout"
    drop_caches
    echo "- all-data $slabel: $(fmt_bytes "$(allocated "$full")") allocated; 90%-zero $slabel: $(fmt_bytes "$(allocated "$sparse")") allocated ($layout)" >>"$IMAGES"

    for image in all-data 90%-zero; do
        src=$full
        [[ $image == all-data ]] || src=$sparse
        for ((run = 1; run <= RUNS; run++)); do
            log "$image $slabel, run $run/$RUNS"
            for tool in $TOOLS; do
                verify=0
                [[ $tool == drivemirror || $tool == qemu-img || $tool == qemu-mirror ]] && verify=1
                run_tool "$tool" "$image" "$slabel" "$bytes" "$src" "$run" "$verify"
            done
        done
    done
    rm -f "$full" "$sparse"
done

END_EPOCH=$(date +%s)
ELAPSED=$((END_EPOCH - START_EPOCH))

# ---------------------------------------------------------------- report
REPORT="$WORK/report.md"
{
    cat "$FACTS"
    echo
    echo "Source images:"
    echo
    cat "$IMAGES"
    echo
    python3 - "$RESULTS" "$SIZES" "${SIZE_BYTES[*]}" <<'EOF'
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
sizes = dict(zip(sys.argv[2].split(), map(int, sys.argv[3].split())))
tool_order = ["drivemirror", "qemu-img", "dd", "qemu-mirror", "fio"]
names = {"drivemirror": "drivemirror-cli mirror", "qemu-img": "qemu-img convert",
         "dd": "dd bs=4M direct", "qemu-mirror": "QEMU drive-mirror",
         "fio": "fio read+write limit"}

def fnum(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"

def fbytes(b):
    if b is None:
        return "-"
    return f"{b / 2**30:.2f} GiB" if b >= 2**30 else f"{b / 2**20:.0f} MiB"

def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None

stats = {}
for r in rows:
    key = (r["image"], r["size"], r["tool"])
    stats.setdefault(key, []).append(r)

def summarize(key):
    rs = stats.get(key)
    if not rs:
        return None
    ok = [r for r in rs if r["rc"] == "0" and r["wall"] not in ("NA", "")]
    size = sizes[key[1]]
    out = {"runs": len(rs), "ok": len(ok)}
    out["mibs"] = med([size / 2**20 / float(r["wall"]) if float(r["wall"]) > 0 else None for r in ok])
    out["cpu"] = med([float(r["user"]) + float(r["sys"]) for r in ok])
    out["rss"] = max([int(r["rss_kib"]) / 1024 for r in ok], default=None)
    out["alloc"] = med([int(r["alloc"]) for r in ok if r["alloc"] not in ("NA", "")])
    v = [r["verified"] for r in rs if r["verified"] != "-"]
    out["verified"] = "-" if not v else ("yes" if all(x == "yes" for x in v) else "NO")
    if v:
        out["verified"] += f" ({sum(x == 'yes' for x in v)}/{len(v)})"
    return out

print("| image | size | tool | MiB/s | CPU s | peak RSS MiB | target allocated | vs fio limit | vs qemu-img | identical |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
seen = []
for r in rows:
    k = (r["image"], r["size"])
    if k not in seen:
        seen.append(k)
for image, size in seen:
    lim = summarize((image, size, "fio"))
    qi = summarize((image, size, "qemu-img"))
    for tool in tool_order:
        s = summarize((image, size, tool))
        if s is None:
            continue
        if s["ok"] == 0:
            print(f"| {image} | {size} | {names[tool]} | failed | - | - | - | - | - | - |")
            continue
        vs_lim = s["mibs"] / lim["mibs"] if lim and lim.get("mibs") else None
        vs_qi = s["mibs"] / qi["mibs"] if qi and qi.get("mibs") else None
        failed = "" if s["ok"] == s["runs"] else f" ({s['runs'] - s['ok']} failed)"
        print(f"| {image} | {size} | {names[tool]}{failed} | {fnum(s['mibs'], 0)} | {fnum(s['cpu'])} "
              f"| {fnum(s['rss'], 1)} | {fbytes(s['alloc'])} | {fnum(vs_lim)} | {fnum(vs_qi)} "
              f"| {s['verified']} |")

print()
print("<details><summary>Per-run data</summary>")
print()
print("| image | size | tool | run | exit | wall s | user s | sys s | peak RSS MiB | target allocated | identical |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
for r in rows:
    rss = "-" if r["rss_kib"] in ("NA", "") else f"{int(r['rss_kib']) / 1024:.1f}"
    alloc = "-" if r["alloc"] in ("NA", "") else fbytes(int(r["alloc"]))
    print(f"| {r['image']} | {r['size']} | {names[r['tool']]} | {r['run']} | {r['rc']} | {r['wall']} "
          f"| {r['user']} | {r['sys']} | {rss} | {alloc} | {r['verified']} |")
print()
print("</details>")
EOF
    echo
    echo "MiB/s = image size / wall time, median of the runs (for the fio limit: size /"
    echo "the slower of its concurrent read and write streams). CPU s = user + system"
    echo "seconds, median. Peak RSS = largest of the runs. Every run starts with a"
    echo "missing target and a dropped page cache."
    [[ -z $QEMU_NOTE ]] || { echo; echo "$QEMU_NOTE"; }
    echo
    echo "Total benchmark time: $((ELAPSED / 60)) min $((ELAPSED % 60)) s (image creation and checks included)."
} >"$REPORT"

cat "$REPORT"
if [[ -n $OUT ]]; then cp "$REPORT" "$OUT"; fi
log "finished in ${ELAPSED}s"
if awk -F'\t' 'NR > 1 && ($5 != "0" || $11 == "DIFFERS") { bad = 1 } END { exit !bad }' "$RESULTS"; then
    log "some runs failed or produced a target that differs from the source; see the table"
    exit 1
fi
