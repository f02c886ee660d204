# shellcheck shell=bash
# bench/lib.sh — shell functions the bench-*.sh scripts share. Source it
# after setting ROOT, BUILD and JOBS; it defines functions only.

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { print b - a }'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? n / t : 0) }'; }
kb() { awk -v b="$1" -v n="$2" 'BEGIN { printf "%.0f KB", (n > 0 ? b / n / 1024 : 0) }'; }

# Peak RSS in MB and user + system CPU in ms per item, from a
# `/usr/bin/time -v -o FILE` report.
rss_mb_of() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
cpu_ms_per() {
    awk -F': ' -v n="$2" '/(User|System) time \(seconds\)/ { t += $2 }
        END { printf "%.1f", (n > 0 ? t * 1000 / n : 0) }' "$1"
}

# The one-minute load average, so every report says how busy the machine was.
load_now() { cut -d' ' -f1 /proc/loadavg; }

# A work directory that goes away at exit unless GP_BENCH_KEEP=1.
# Sets WORK; $1 names it (gp-bench, gp-bench-certs, ...).
bench_workdir() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    if [[ ${GP_BENCH_KEEP:-0} == 1 ]]; then
        trap 'echo "bench: work directory kept: $WORK"' EXIT
    else
        trap 'rm -rf "$WORK"' EXIT
    fi
}

# Configures $BUILD as a Release build (tests off) the first time, warns
# when it is something else, and brings gradprint-synth up to date.
# Sets GP (GP_BENCH_GRADPRINT or the built gradprint) and SYNTH.
bench_build_synth() {
    local build_type
    if [[ ! -f $BUILD/CMakeCache.txt ]]; then
        echo "bench: configuring $BUILD (Release)"
        cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGP_TESTS=OFF >/dev/null
    fi
    build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
    if [[ $build_type != Release ]]; then
        echo "bench: warning: $BUILD is a ${build_type:-RelWithDebInfo (default)} build; the numbers are meant for Release"
    fi
    GP=${GP_BENCH_GRADPRINT:-$BUILD/gradprint}
    # shellcheck disable=SC2034  # for the caller
    SYNTH=$BUILD/gradprint-synth
    cmake --build "$BUILD" -j "$JOBS" --target gradprint-synth >/dev/null
}

# Brings gradprint up to date, unless GP_BENCH_GRADPRINT names another binary.
bench_build_gradprint() {
    [[ -n ${GP_BENCH_GRADPRINT:-} ]] || cmake --build "$BUILD" -j "$JOBS" --target gradprint_cli >/dev/null
}

# True when gradprint's --help lists command $1. The help is read whole
# first: grep -q closing the pipe early would kill gradprint with SIGPIPE.
bench_has_command() {
    local help
    help=$("$GP" --help 2>&1 || true)
    grep -qw -- "$1" <<<"$help"
}
