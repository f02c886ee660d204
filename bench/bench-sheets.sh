#!/usr/bin/env bash
# bench/bench-sheets.sh [N1 [N2]]   (defaults 200 and 1000)
#
# Photo sheets per second: gradprint against ImageMagick 6 doing the same
# work in its best form. See bench/README.md for how to read the output.
#
# Environment:
#   GP_BENCH_BUILD  build directory (default: <repo>/build-bench, Release)
#   GP_BENCH_JOBS   worker threads for gradprint and processes for
#                   ImageMagick (default: nproc)
#   GP_BENCH_BATCH  sheets per ImageMagick process (default 25)
#   GP_BENCH_KEEP=1 keep the work directory (printed at the end)
#   GP_BENCH_IM_ONLY=1  measure ImageMagick only (gradprint is not built)
#   GP_BENCH_GRADPRINT  measure this gradprint binary instead of the built one
#   GP_BENCH_GP_ARGS    extra options for gradprint sheets, e.g. --skip-invalid
set -euo pipefail

N1=${1:-200}
N2=${2:-1000}
for n in "$N1" "$N2"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N1 [N2]]  (whole numbers of students)" >&2; exit 2; }
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${GP_BENCH_BUILD:-$ROOT/build-bench}
JOBS=${GP_BENCH_JOBS:-$(nproc)}
BATCH=${GP_BENCH_BATCH:-25}
SCHOOL="重庆文理学院"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

# /usr/local/bin may hold something else called convert; ask for IM6 by name.
IM=$(command -v convert-im6.q16 || command -v /usr/bin/convert || true)
TIME=/usr/bin/time
for tool in "$IM" "$TIME"; do
    [[ -n $tool && -x $tool ]] || { echo "bench: needs imagemagick and time (bash .ci/install-deps.sh)" >&2; exit 1; }
done
FONT=$(fc-match -f '%{file}' 'Noto Serif CJK SC')

bench_workdir gp-bench

bytes_of() { find "$1" -type f -name '*.jpg' ! -name '*divider*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
count_of() { find "$1" -type f -name '*.jpg' ! -name '*divider*' | wc -l; }

# ---------------------------------------------------------------- build
bench_build_synth

have_sheets=0
if [[ ${GP_BENCH_IM_ONLY:-0} == 1 ]]; then
    echo "bench: GP_BENCH_IM_ONLY=1: measuring ImageMagick only"
else
    bench_build_gradprint
    if bench_has_command sheets; then
        have_sheets=1
    else
        echo "bench: '$GP' has no 'sheets' command yet: measuring ImageMagick only"
    fi
fi

# ---------------------------------------------------------------- data
for n in "$N1" "$N2"; do
    "$SYNTH" --students "$n" --out "$WORK/data-$n" >/dev/null
done
echo "bench: $N1 and $N2 synthetic students in $WORK, $JOBS jobs, $(nproc) cores"

# ---------------------------------------------------------------- gradprint
declare -A GP_RATE GP_RSS GP_BYTES GP_COUNT GP_CPU
read -ra GP_EXTRA <<<"${GP_BENCH_GP_ARGS:-}"
run_gradprint() {
    local n=$1
    local out=$WORK/gp-$n t0 t1
    t0=$(now)
    if ! "$TIME" -v -o "$WORK/time-gp-$n.txt" "$GP" sheets --roster "$WORK/data-$n/roster.csv" \
        --photos "$WORK/data-$n/photos" --out "$out" --format jpeg --jobs "$JOBS" "${GP_EXTRA[@]}" \
        >"$WORK/gp-$n.log" 2>&1; then
        echo "bench: gradprint sheets failed at N=$n:" >&2
        tail -n 20 "$WORK/gp-$n.log" >&2
        exit 1
    fi
    t1=$(now)
    GP_COUNT[$n]=$(count_of "$out")
    GP_RATE[$n]=$(rate "${GP_COUNT[$n]}" "$(elapsed "$t0" "$t1")")
    GP_RSS[$n]=$(rss_mb_of "$WORK/time-gp-$n.txt")
    GP_CPU[$n]=$(cpu_ms_per "$WORK/time-gp-$n.txt" "${GP_COUNT[$n]}")
    GP_BYTES[$n]=$(bytes_of "$out")
    if [[ ${GP_COUNT[$n]} -ne $n ]]; then
        echo "bench: warning: gradprint wrote ${GP_COUNT[$n]} JPEG files for $n students" >&2
    fi
}
LOAD_START=$(load_now)
if [[ $have_sheets == 1 ]]; then
    run_gradprint "$N1"
    run_gradprint "$N2"
fi

# ---------------------------------------------------------------- ImageMagick
# The same sheet: photo cropped to 5:7 from the sides (full height kept),
# 4 two-inch copies (35x49 mm = 413x579 px) and 8 one-inch copies
# (25x35 mm = 295x413 px) on a 1500x2100 white canvas, four label lines,
# JPEG q95 4:4:4 at 300 dpi. Positions and point sizes are those of
# templates/photo-sheet-7in.xml (mm x 300 / 25.4); ImageMagick draws no QR
# code and no cut guides, which only flatters it.
BIG_AT=(+65+24 +543+24 +1022+24 +65+626)
SMALL_AT=(+64+1228 +423+1228 +782+1228 +1141+1228 +64+1665 +423+1665 +782+1665 +1141+1665)

# Delivery order: college, major, class, student number. Columns of the
# synthetic roster: 2 学号, 3 姓名, 5 身份证号, 7 学院, 8 专业, 9 班级.
sorted_students() {
    sed '1s/^\xEF\xBB\xBF//; s/\r$//' "$1" | awk -F, 'NR > 1 { print $7 "\t" $8 "\t" $9 "\t" $2 "\t" $3 "\t" toupper($5) }' |
        LC_ALL=C sort -t $'\t' -k1,1 -k2,2 -k3,3 -k4,4 | awk '{ printf "%05d\t%s\n", NR, $0 }'
}

# One process renders a batch of sheets: every photo is read once, scaled
# once per size into mpr: registers, and each sheet is written with -write.
im_batch() {
    local photos=$1 out=$2 list=$3
    local -a args=(-density 300 -units PixelsPerInch -quality 95 -sampling-factor 1x1 -font "$FONT" -fill black)
    local rank college major class sno name id at
    while IFS=$'\t' read -r rank college major class sno name id; do
        args+=("$photos/$id.jpg" -gravity center -crop 457x640+0+0 +repage
            '(' +clone -resize '413x579!' -write mpr:big +delete ')' -resize '295x413!' -write mpr:small +delete
            -size 1500x2100 xc:white -gravity northwest)
        for at in "${BIG_AT[@]}"; do args+=(mpr:big -geometry "$at" -composite); done
        for at in "${SMALL_AT[@]}"; do args+=(mpr:small -geometry "$at" -composite); done
        args+=(-pointsize 12 -annotate +543+638 "$SCHOOL" -pointsize 10 -annotate +543+744 "学号 $sno"
            -pointsize 12 -annotate +543+827 "姓名 $name" -pointsize 10 -annotate +543+921 "身份证号 $id"
            -pointsize 8 -annotate +543+1028 "$college $major $class"
            -write "$out/$rank-$id.jpg" +delete)
    done <"$list"
    # convert wants a final output: a 1x1 image written nowhere.
    args+=(-size 1x1 xc:white null:)
    MAGICK_THREAD_LIMIT=1 "$TIME" -f '%M %U %S' -a -o "$out.usage" "$IM" "${args[@]}"
}

im_worker() {
    local photos=$1 out=$2 list=$3 batch
    split -l "$BATCH" -d -a 5 "$list" "$list.batch-"
    for batch in "$list".batch-*; do
        im_batch "$photos" "$out" "$batch"
    done
}

declare -A IM_RATE_AT IM_CPU_AT IM_RSS_AT IM_BYTES_AT IM_COUNT_AT
run_imagemagick() {
    local n=$1
    local out=$WORK/im-$n t0 t1 w pids=()
    mkdir -p "$out"
    sorted_students "$WORK/data-$n/roster.csv" >"$WORK/im-$n.list"
    # Contiguous halves (or thirds, ...): one process per core.
    split -n "l/$JOBS" -d -a 3 "$WORK/im-$n.list" "$WORK/im-$n.part-"
    t0=$(now)
    for w in "$WORK/im-$n".part-*; do
        [[ -s $w ]] || continue
        im_worker "$WORK/data-$n/photos" "$out" "$w" &
        pids+=($!)
    done
    for w in "${pids[@]}"; do wait "$w"; done
    t1=$(now)
    IM_COUNT=$(count_of "$out")
    IM_RATE=$(rate "$IM_COUNT" "$(elapsed "$t0" "$t1")")
    IM_BYTES=$(bytes_of "$out")
    IM_RSS=$(awk 'm < $1 { m = $1 } END { printf "%.0f", m / 1024 }' "$out.usage")
    IM_CPU=$(awk -v n="$IM_COUNT" '{ t += $2 + $3 } END { printf "%.1f", (n > 0 ? t * 1000 / n : 0) }' "$out.usage")
    if [[ $IM_COUNT -ne $n ]]; then
        echo "bench: ImageMagick wrote $IM_COUNT sheets for $n students" >&2
        exit 1
    fi
    IM_RATE_AT[$n]=$IM_RATE
    IM_CPU_AT[$n]=$IM_CPU
    IM_RSS_AT[$n]=$IM_RSS
    IM_BYTES_AT[$n]=$IM_BYTES
    IM_COUNT_AT[$n]=$IM_COUNT
    [[ ${GP_BENCH_KEEP:-0} == 1 ]] || rm -rf "$out" # frees the disk and page cache for the next run
}
run_imagemagick "$N1"
# ImageMagick at N2 too, so both ratios are measured (GP_BENCH_IM_N2=0 skips it).
if [[ ${GP_BENCH_IM_N2:-1} == 1 && $N2 != "$N1" ]]; then
    run_imagemagick "$N2"
fi
LOAD_END=$(load_now)

# ---------------------------------------------------------------- report
echo
row() { printf '%-36s %9s %14s %15s %11s\n' "$@"; }
row "" "sheets/s" "CPU ms/sheet" "peak RSS" "size/sheet"
for n in "$N1" "$N2"; do
    [[ -n ${IM_RATE_AT[$n]:-} ]] || continue
    row "ImageMagick 6, N=$n ($JOBS x $BATCH/process)" "${IM_RATE_AT[$n]}" "${IM_CPU_AT[$n]}" "${IM_RSS_AT[$n]} MB/proc" \
        "$(kb "${IM_BYTES_AT[$n]}" "${IM_COUNT_AT[$n]}")"
done
if [[ $have_sheets == 1 ]]; then
    for n in "$N1" "$N2"; do
        row "gradprint, N=$n ($JOBS jobs)" "${GP_RATE[$n]}" "${GP_CPU[$n]}" "${GP_RSS[$n]} MB" \
            "$(kb "${GP_BYTES[$n]}" "${GP_COUNT[$n]}")"
    done
    echo
    for n in "$N1" "$N2"; do
        [[ -n ${IM_RATE_AT[$n]:-} ]] || continue
        awk -v g="${GP_RATE[$n]}" -v i="${IM_RATE_AT[$n]}" -v gc="${GP_CPU[$n]}" -v ic="${IM_CPU_AT[$n]}" -v n="$n" 'BEGIN {
            printf "speed-up at N=%d: %.1fx ImageMagick in sheets/s, %.1fx in CPU time per sheet\n", n,
                (i > 0 ? g / i : 0), (gc > 0 ? ic / gc : 0) }'
    done
    echo "target: >= 6x ImageMagick in sheets/s at both N, <= 14 ms CPU a sheet, >= 75 sheets/s on 2 cores"
    awk -v a="${GP_RSS[$N1]}" -v b="${GP_RSS[$N2]}" -v n1="$N1" -v n2="$N2" \
        'BEGIN { printf "memory: %d MB at N=%d, %d MB at N=%d (%s)\n", a, n1, b, n2, (b <= a * 1.25 + 8 ? "flat" : "GROWS WITH N") }'
else
    echo
    echo "gradprint: not measured"
fi
echo "load average: $LOAD_START at the start, $LOAD_END at the end ($(nproc) cores)"
