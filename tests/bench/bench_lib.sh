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

# settle_disk PATH: waits (at most 60 s) until the disk that holds PATH has
# had nothing in flight and no discard for 2 s. A file system mounted with
# -o discard trims a deleted 8 GiB image for seconds after the rm, and a row
# that started meanwhile would measure the trim.
settle_disk() {
    local dev stat quiet=0 deadline=$((SECONDS + 60)) last="" now
    dev=$(stat -c '%Hd:%Ld' "$1") || return 0 # major:minor of its file system
    stat="/sys/dev/block/$dev/stat"
    [[ -r $stat ]] || return 0
    while ((SECONDS < deadline)); do
        # in flight (9th field) and discards completed (12th), when present
        now=$(awk '{ print $9, $12 }' "$stat")
        if [[ $now == "$last" && ${now%% *} == 0 ]]; then
            quiet=$((quiet + 1))
            ((quiet >= 4)) && return 0
        else
            quiet=0
        fi
        last=$now
        sleep 0.5
    done
}

fmt_bytes() {
    awk -v b="$1" 'BEGIN { if (b >= 1073741824) printf "%.2f GiB", b / 1073741824; else printf "%.0f MiB", b / 1048576 }'
}

show_failure() {
    log "$1 failed (exit $2); last lines of its output:"
    tail -n 15 "$3" >&2 || true
}


# write_random FILE BYTES: incompressible data, AES-CTR keystream when openssl
# is there (fast), else /dev/urandom. Calls the script's die on a short write.
write_random() {
    if command -v openssl >/dev/null; then
        { openssl enc -aes-128-ctr -pass pass:"drivemirror-bench-$1" -nosalt -pbkdf2 -in /dev/zero 2>/dev/null || true; } |
            head -c "$2" | dd of="$1" bs=4M iflag=fullblock status=none
    else
        { head -c "$2" /dev/urandom || true; } | dd of="$1" bs=4M iflag=fullblock status=none
    fi
    [[ $(stat -c %s "$1") -eq $2 ]] || die "could not write $1"
}

stop_pid() { # PID SIGNAL: signal a process this script started and reap it
    [[ -n $1 ]] || return 0
    kill -"$2" "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

free_bytes() { df --output=avail -B1 "$DIR" | tail -n1 | tr -d ' '; } # of the script's DIR
