# shellcheck shell=bash
# Shell functions shared by the benchmark scripts; sourced, not run.

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

to_bytes() {
    local s=${1^^} n m
    s=${s%IB}
    s=${s%B}
    if [[ $s =~ ^([0-9]+)([KMGT]?)$ ]]; then
        n=${BASH_REMATCH[1]}
        case "${BASH_REMATCH[2]}" in
        K) m=$((1 << 10)) ;;
        M) m=$((1 << 20)) ;;
        G) m=$((1 << 30)) ;;
        T) m=$((1 << 40)) ;;
        *) m=1 ;;
        esac
        echo $((n * m))
    else
        return 1
    fi
}

drop_caches() {
    sync
    echo 3 >/proc/sys/vm/drop_caches
}

fmt_bytes() {
    awk -v b="$1" 'BEGIN { if (b >= 1073741824) printf "%.2f GiB", b / 1073741824; else printf "%.0f MiB", b / 1048576 }'
}

show_failure() {
    log "$1 failed (exit $2); last lines of its output:"
    tail -n 15 "$3" >&2 || true
}

