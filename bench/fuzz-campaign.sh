#!/usr/bin/env bash
# bench/fuzz-campaign.sh — every fuzzer, one at a time, for a set time or a
# number of runs, and a table of what each did.
#
#   bash bench/fuzz-campaign.sh [--time SECONDS] [--runs N] [--build DIR] [--only NAME]
#
# Defaults: 1800 s or 10,000,000 runs per fuzzer, whichever ends first; the
# build is build-fuzz (configured with CC=clang -DGP_FUZZ=ON -DGP_SANITIZE=ON,
# made here when missing). Each fuzzer starts from its seed corpus in
# tests/fuzz/corpus/NAME and grows a private copy under the build, so the
# committed seeds stay as they are. Findings (crash-, leak-, timeout-, oom-
# files) are kept under BUILD/fuzz-campaign/NAME/ and counted in the table.
# Markdown on stdout, progress on stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
SECONDS_EACH=1800
RUNS=10000000
BUILD=build-fuzz
ONLY=
while [[ $# -gt 0 ]]; do
    case $1 in
        --time) SECONDS_EACH=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --build) BUILD=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        -h|--help) sed -n 2,14p "$0"; exit 0 ;;
        *) echo "fuzz-campaign: unknown option $1 (see --help)" >&2; exit 1 ;;
    esac
done
if [[ ! -d $BUILD/tests ]]; then
    CC=clang cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGP_FUZZ=ON -DGP_SANITIZE=ON >&2
fi
cmake --build "$BUILD" -j "$(nproc)" >&2
export GRADPRINT_DATADIR=$ROOT
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$ROOT/.ci/lsan.supp:print_suppressions=0

echo "| fuzzer | time (s) | runs | runs/s | coverage (edges) | features | corpus | findings |"
echo "|---|---|---|---|---|---|---|---|"
for seeds in tests/fuzz/corpus/*/; do
    name=$(basename "$seeds")
    [[ -z $ONLY || $name == "$ONLY" ]] || continue
    bin=$BUILD/tests/$name
    if [[ ! -x $bin ]]; then
        echo "| $name | - | - | - | - | - | - | not built |"
        continue
    fi
    out=$BUILD/fuzz-campaign/$name
    rm -rf "$out"
    mkdir -p "$out/corpus" "$out/findings"
    cp -r "$seeds." "$out/corpus/"
    echo "fuzz-campaign: $name for up to $SECONDS_EACH s or $RUNS runs" >&2
    # Fuzzers that carry their LeakSanitizer suppressions compiled in
    # (fuzz-common.h) run with the fast unwinder, as CI's smoke runs do: the
    # slow one that .ci/lsan.supp needs makes every allocation inside Pango
    # cost ten times more (fuzz-text: 19 against ~300 runs/s on a loaded
    # machine).
    unwind=0
    if nm "$bin" 2>/dev/null | grep -q ' T __lsan_default_suppressions'; then
        unwind=1
    fi
    start=$(date +%s)
    ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=$unwind "$bin" -max_total_time="$SECONDS_EACH" -runs="$RUNS" -rss_limit_mb=4096 -timeout=20 \
        -print_final_stats=1 -artifact_prefix="$out/findings/" "$out/corpus" >"$out/log" 2>&1 || true
    took=$(($(date +%s) - start))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$out/log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
    found=$(find "$out/findings" -type f | wc -l)
    echo "| $name | $took | ${runs:-?} | ${rate:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $found |"
done
