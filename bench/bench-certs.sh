#!/usr/bin/env bash
# bench/bench-certs.sh [N1 [N2]]   (defaults 300 and 3000)
#
# Certificates per second: `gradprint certs` against what a registrar would
# otherwise use to fill the same diploma blanks — an HTML mail merge
# printed with WeasyPrint, and a gLabels document merging a CSV
# (glabels-3-batch). See bench/README.md for how to read the output.
#
# Environment:
#   GP_BENCH_BUILD   build directory (default: <repo>/build-bench, Release)
#   GP_BENCH_JOBS    processes for WeasyPrint and gLabels (default: nproc);
#                    gradprint certs is one process
#   GP_BENCH_BATCH   certificates per WeasyPrint/gLabels process (default:
#                    N / jobs, one batch per process)
#   GP_BENCH_BUDGET  seconds the competitors may take at N2 together, judged
#                    from their rates at N1 (default 120); over it, N1 only
#   GP_BENCH_OTHERS  competitors to run (default "weasyprint glabels")
#   GP_BENCH_KEEP=1  keep the work directory (printed at the end)
#   GP_BENCH_GRADPRINT  measure this gradprint binary instead of the built one
#   GP_BENCH_GP_ARGS    extra options for gradprint certs, e.g. --skip-invalid
set -euo pipefail

N1=${1:-300}
N2=${2:-3000}
for n in "$N1" "$N2"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N1 [N2]]  (whole numbers of students)" >&2; exit 2; }
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${GP_BENCH_BUILD:-$ROOT/build-bench}
JOBS=${GP_BENCH_JOBS:-$(nproc)}
BATCH=${GP_BENCH_BATCH:-0}
BUDGET=${GP_BENCH_BUDGET:-120}
OTHERS=${GP_BENCH_OTHERS-weasyprint glabels}
TEMPLATE=$ROOT/templates/diploma-bachelor.xml
SIGNATURE=$ROOT/templates/blanks/signature-president.png
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

TIME=/usr/bin/time
for tool in "$TIME" pdfinfo pdfimages qpdf; do
    command -v "$tool" >/dev/null || { echo "bench: needs time, poppler-utils and qpdf (bash .ci/install-deps.sh)" >&2; exit 1; }
done
LOAD0=$(load_now)

# ---------------------------------------------------------------- competitors
# Installed on demand rather than by .ci/install-deps.sh: together they are
# ~390 MB (WeasyPrint pulls in numpy, scipy and sympy through fonttools),
# which CI does not need. qrencode draws the QR codes for the HTML merge.
declare -A PKG_OF=([weasyprint]=weasyprint [qrencode]=qrencode [glabels-3-batch]=glabels)
wanted=()
for other in $OTHERS; do
    case $other in
        weasyprint) wanted+=(weasyprint qrencode) ;;
        glabels) wanted+=(glabels-3-batch) ;;
        *) echo "bench: GP_BENCH_OTHERS: unknown competitor '$other' (weasyprint, glabels)" >&2; exit 2 ;;
    esac
done
missing=()
for tool in "${wanted[@]}"; do
    command -v "$tool" >/dev/null || missing+=("${PKG_OF[$tool]}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]]; then
        echo "bench: installing ${missing[*]} (once; a few minutes)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
            echo "bench: apt-get could not install ${missing[*]}" >&2
    else
        echo "bench: not installed: ${missing[*]}; to compare with them, as root:"
        echo "bench:     apt-get install -y --no-install-recommends ${missing[*]}"
    fi
fi
# The mail merge is prepared by Debian's python3 (WeasyPrint's own), not
# whatever python3 comes first in PATH.
PY=/usr/bin/python3
have_wp=0 have_gl=0
for other in $OTHERS; do
    case $other in
        weasyprint) command -v weasyprint >/dev/null && command -v qrencode >/dev/null && [[ -x $PY ]] && have_wp=1 ;;
        glabels) command -v glabels-3-batch >/dev/null && have_gl=1 ;;
    esac
done
version_of() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null | sed 's/-[^-]*$//'; }
WP_NAME="WeasyPrint $(version_of weasyprint)"
GL_NAME="gLabels $(version_of glabels)"

# ---------------------------------------------------------------- build and data
bench_workdir gp-bench-certs
bench_build_synth
bench_build_gradprint
if ! bench_has_command certs; then
    echo "bench: '$GP' has no 'certs' command" >&2
    exit 1
fi
for n in "$N1" "$N2"; do
    "$SYNTH" --students "$n" --out "$WORK/data-$n" >/dev/null
done
echo "bench: $N1 and $N2 synthetic students in $WORK, $JOBS competitor processes, $(nproc) cores, load $LOAD0"

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# The first graduate's photo, the one on page 1 of every output.
first_photo() {
    sed '1s/^\xEF\xBB\xBF//; s/\r$//' "$WORK/data-$1/roster.csv" | awk -F, 'NR == 2 { print $5; exit }' |
        sed "s|^|$WORK/data-$1/photos/|; s|\$|.jpg|"
}

# How page 1 carries the photo: the encoding and pixel size pdfimages
# reports, and whether the JPEG stream is the original file byte for byte.
photo_note() {
    local pdf=$1 photo=$2 dir enc='' w h size f same=0 original
    read -r enc w h size < <(pdfimages -f 1 -l 1 -list "$pdf" | awk 'NR > 2 && $3 == "image" { print $9, $4, $5, $15; exit }') || true
    [[ -n $enc ]] || { echo "no image"; return; }
    original=$(awk -v b="$(stat -c %s "$photo")" 'BEGIN { printf "%.1fK", b / 1024 }')
    dir=$(mktemp -d "$WORK/photo.XXXXXX")
    pdfimages -f 1 -l 1 -j "$pdf" "$dir/img"
    for f in "$dir"/img-*.jpg; do
        [[ -f $f ]] && cmp -s "$f" "$photo" && same=1
    done
    rm -rf "$dir"
    if [[ $same == 1 ]]; then
        echo "$enc ${w}x$h, the original file"
    elif [[ $enc == jpeg ]]; then
        echo "$enc ${w}x$h re-encoded, $size (file: $original)"
    else
        echo "${enc/image/raw} ${w}x$h, $size (file: $original JPEG)"
    fi
}

# ---------------------------------------------------------------- gradprint
declare -A GP_RATE GP_RSS GP_BYTES GP_PAGES GP_CPU GP_PHOTO
read -ra GP_EXTRA <<<"${GP_BENCH_GP_ARGS:-}"
run_gradprint() {
    local n=$1
    local out=$WORK/gp-$n.pdf t0 t1
    t0=$(now)
    if ! "$TIME" -v -o "$WORK/time-gp-$n.txt" "$GP" certs --roster "$WORK/data-$n/roster.csv" \
        --photos "$WORK/data-$n/photos" --template "$TEMPLATE" --out "$out" "${GP_EXTRA[@]}" \
        >"$WORK/gp-$n.log" 2>&1; then
        echo "bench: gradprint certs failed at N=$n:" >&2
        tail -n 20 "$WORK/gp-$n.log" >&2
        exit 1
    fi
    t1=$(now)
    GP_PAGES[$n]=$(pages_of "$out")
    GP_RATE[$n]=$(rate "${GP_PAGES[$n]}" "$(elapsed "$t0" "$t1")")
    GP_RSS[$n]=$(rss_mb_of "$WORK/time-gp-$n.txt")
    GP_CPU[$n]=$(cpu_ms_per "$WORK/time-gp-$n.txt" "${GP_PAGES[$n]}")
    GP_BYTES[$n]=$(stat -c %s "$out")
    GP_PHOTO[$n]=$(photo_note "$out" "$(first_photo "$n")")
    if [[ ${GP_PAGES[$n]} -ne $n ]]; then
        echo "bench: warning: gradprint wrote ${GP_PAGES[$n]} pages for $n students" >&2
    fi
}
SIZES=("$N1")
[[ $N2 == "$N1" ]] || SIZES+=("$N2")
for n in "${SIZES[@]}"; do run_gradprint "$n"; done

# ---------------------------------------------------------------- the mail merge
# What the registrar's spreadsheet would hold: the certificate's texts
# written out (dates in Chinese numerals as gradprint's cn-date and cn-month
# filters write them), split into batches of $2 students. Each batch gets a
# CSV for gLabels and an HTML page for WeasyPrint. Not timed: it flatters
# both competitors, which get their texts ready-made.
prepare_merge() {
    local n=$1 batch=$2 dir=$WORK/merge-$1
    mkdir -p "$dir/qr"
    "$PY" - "$WORK/data-$n/roster.csv" "$WORK/data-$n/photos" "$dir" "$batch" "$SIGNATURE" <<'PY'
import csv, html, os, sys

roster, photos, out, batch, signature = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
DIGITS = "〇一二三四五六七八九"

def cn_number(n):  # 1..99, as in 三十一
    tens, units = divmod(n, 10)
    if tens == 0:
        return DIGITS[units]
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[units] if units else "")

def cn_year(y):
    return "".join(DIGITS[int(c)] for c in y)

def cn_date(s):
    y, m, d = s.split("-")
    return f"{cn_year(y)}年{cn_number(int(m))}月{cn_number(int(d))}日"

def cn_month(s):
    y, m = s.split("-")[:2]
    return f"{cn_year(y)}年{cn_number(int(m))}月"

CSS = """
@page { size: 270mm 190mm; margin: 0 }
body { margin: 0; font-family: "Noto Serif CJK SC"; color: #000 }
.page { position: relative; width: 270mm; height: 190mm; overflow: hidden; page-break-after: always }
.page:last-child { page-break-after: auto }
.page > * { position: absolute; margin: 0 }
.photo { left: 30mm; top: 50mm; width: 33mm; height: 48mm; object-fit: cover }
.wording { left: 78mm; top: 50mm; width: 162mm; height: 64mm; font-size: 15pt; line-height: 9.5mm;
           text-indent: 10.6mm; text-align: justify }
.qr { left: 30mm; top: 106mm; width: 16mm; height: 16mm }
.school { left: 166mm; top: 120mm; font-size: 16pt }
.president { left: 166mm; top: 133mm; font-size: 16pt }
.signature { left: 208mm; top: 131mm; width: 30mm; height: 15mm }
.date { left: 166mm; top: 147mm; font-size: 15pt }
.number { left: 50mm; top: 150mm; font-size: 11pt }
"""

rows = []
with open(roster, encoding="utf-8-sig", newline="") as f:
    for r in csv.DictReader(f):
        rows.append({
            "wording": f"学生{r['姓名']}，性别{r['性别']}，{cn_date(r['出生日期'])}生，"
                       f"于{cn_month(r['入学日期'])}至{cn_month(r['毕业日期'])}"
                       f"在本校{r['专业']}专业{cn_number(int(r['学制']))}年制本科学习，"
                       "修完教学计划规定的全部课程，成绩合格，准予毕业。",
            "school": "重庆文理学院",
            "date": cn_date(r["毕业日期"]),
            "number": r["毕业证书编号"],
            "photo": os.path.join(photos, r["身份证号"] + ".jpg"),
        })

e = html.escape
for k, start in enumerate(range(0, len(rows), batch)):
    part = rows[start:start + batch]
    with open(os.path.join(out, f"batch-{k:04d}.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(part[0]))
        w.writeheader()
        w.writerows(part)
    with open(os.path.join(out, f"batch-{k:04d}.html"), "w", encoding="utf-8") as f:
        f.write(f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><style>{CSS}</style></head><body>\n')
        for r in part:
            f.write(f'<div class="page"><img class="photo" src="{e(r["photo"])}">'
                    f'<p class="wording">{e(r["wording"])}</p>'
                    f'<img class="qr" src="qr/{e(r["number"])}.svg">'
                    f'<p class="school">{e(r["school"])}</p><p class="president">张某某</p>'
                    f'<img class="signature" src="{e(signature)}">'
                    f'<p class="date">{e(r["date"])}</p><p class="number">{e(r["number"])}</p></div>\n')
        f.write("</body></html>\n")
PY
}

# The QR codes as SVG files for the HTML merge: a registrar's script would
# make them the same way. Not timed either.
prepare_qr() {
    local dir=$WORK/merge-$1 number
    awk -F, 'FNR > 1 { print $4 }' "$dir"/batch-*.csv | while read -r number; do
        qrencode -t SVG --svg-path -l M -m 0 -o "$dir/qr/$number.svg" "$number"
    done
}

xml_escape() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' <<<"$1"; }

# The gLabels document for one batch: one 270x190 mm "label" per sheet, the
# template's boxes at the template's positions, merging the batch's CSV.
# gLabels cannot justify, shrink to fit or crop: the wording is flush left
# and the photo is stretched into the 33x48 mm frame.
glabels_doc() {
    local csv sig
    csv=$(xml_escape "$1")
    sig=$(xml_escape "$SIGNATURE")
    local ident='a0="1" a1="0" a2="0" a3="1" a4="0" a5="0"'
    local span='font_family="Noto Serif CJK SC" font_weight="Regular" font_italic="False" color="0x000000ff"'
    cat <<EOF
<?xml version="1.0"?>
<Glabels-document xmlns="http://glabels.org/xmlns/3.0/">
  <Template brand="gradprint-bench" part="diploma-bachelor" size="Other" width="270mm" height="190mm" description="diploma blank">
    <Meta category="card"/>
    <Label-rectangle id="0" width="270mm" height="190mm" round="0mm" x_waste="0mm" y_waste="0mm">
      <Markup-margin size="0mm"/>
      <Layout nx="1" ny="1" x0="0mm" y0="0mm" dx="270mm" dy="190mm"/>
    </Label-rectangle>
  </Template>
  <Objects id="0" rotate="False">
    <Object-image x="30mm" y="50mm" w="33mm" h="48mm" field="photo" $ident/>
    <Object-text x="78mm" y="50mm" w="162mm" h="64mm" justify="Left" valign="Top" auto_shrink="False" $ident>
      <Span $span font_size="15" line_spacing="1.35">　　<Field name="wording"/></Span>
    </Object-text>
    <Object-barcode x="30mm" y="106mm" w="16mm" h="16mm" backend="libqrencode" style="IEC18004" text="False" checksum="True" field="number" format="18" color="0x000000ff" $ident/>
    <Object-text x="166mm" y="120mm" w="74mm" h="10mm" justify="Left" valign="Top" auto_shrink="False" $ident>
      <Span $span font_size="16" line_spacing="1"><Field name="school"/></Span>
    </Object-text>
    <Object-text x="166mm" y="133mm" w="40mm" h="10mm" justify="Left" valign="Top" auto_shrink="False" $ident>
      <Span $span font_size="16" line_spacing="1">张某某</Span>
    </Object-text>
    <Object-image x="208mm" y="131mm" w="30mm" h="15mm" src="$sig" $ident/>
    <Object-text x="166mm" y="147mm" w="74mm" h="10mm" justify="Left" valign="Top" auto_shrink="False" $ident>
      <Span $span font_size="15" line_spacing="1"><Field name="date"/></Span>
    </Object-text>
    <Object-text x="50mm" y="150mm" w="62mm" h="9mm" justify="Left" valign="Top" auto_shrink="False" $ident>
      <Span $span font_size="11" line_spacing="1"><Field name="number"/></Span>
    </Object-text>
  </Objects>
  <Merge type="Text/Comma/Line1Keys" src="$csv"/>
</Glabels-document>
EOF
}

# One batch through one competitor, under /usr/bin/time (appending to the
# run's usage file: peak RSS, user and system CPU per process).
render_batch() {
    local tool=$1 batch=$2 usage=$3
    case $tool in
        weasyprint)
            "$TIME" -f '%M %U %S' -a -o "$usage" weasyprint -q "$batch.html" "$batch.pdf" ;;
        glabels)
            glabels_doc "$batch.csv" >"$batch.glabels"
            # Headless: no display, whatever the caller's session has.
            env -u DISPLAY -u WAYLAND_DISPLAY "$TIME" -f '%M %U %S' -a -o "$usage" \
                glabels-3-batch -o "$batch.pdf" "$batch.glabels" ;;
    esac
}

declare -A OT_RATE OT_RSS OT_BYTES OT_PAGES OT_CPU OT_PHOTO OT_SECONDS OT_PER
# Runs competitor $1 at N=$2: JOBS processes work through the batches
# (batch k on process k mod JOBS), then qpdf joins the batch PDFs into one,
# as the registrar needs one file to print. Returns 1 when it failed.
run_other() {
    local tool=$1 n=$2
    local dir=$WORK/merge-$n out=$WORK/$tool-$n.pdf usage=$WORK/$tool-$n.usage
    local batch=$BATCH t0 t1 w k pids=() batches=() failed=0
    [[ $batch -gt 0 ]] || batch=$(((n + JOBS - 1) / JOBS))
    [[ -f $dir/batch-0000.csv ]] || prepare_merge "$n" "$batch"
    [[ $tool != weasyprint || -n $(ls -A "$dir/qr") ]] || prepare_qr "$n"
    batches=("$dir"/batch-*.csv)
    batches=("${batches[@]%.csv}")
    rm -f "$usage" "$WORK/$tool-$n.log"
    t0=$(now)
    for ((w = 0; w < JOBS && w < ${#batches[@]}; w++)); do
        (
            for ((k = w; k < ${#batches[@]}; k += JOBS)); do
                render_batch "$tool" "${batches[k]}" "$usage" >>"$WORK/$tool-$n.log" 2>&1 || exit 1
            done
        ) &
        pids+=($!)
    done
    for w in "${pids[@]}"; do wait "$w" || failed=1; done
    if [[ $failed == 0 ]]; then
        if [[ ${#batches[@]} -eq 1 ]]; then
            mv "${batches[0]}.pdf" "$out"
        else
            "$TIME" -f '%M %U %S' -a -o "$usage" qpdf --empty --pages "${batches[@]/%/.pdf}" -- "$out" \
                >>"$WORK/$tool-$n.log" 2>&1 || failed=1
            # gLabels' batches run to hundreds of MB at N2.
            rm -f "${batches[@]/%/.pdf}"
        fi
    fi
    t1=$(now)
    OT_PAGES[$tool-$n]=$( [[ -f $out ]] && pages_of "$out" || echo 0)
    if [[ $failed == 1 || ${OT_PAGES[$tool-$n]:-0} -ne $n ]]; then
        echo "bench: $tool failed at N=$n (${OT_PAGES[$tool-$n]:-0} pages):" >&2
        grep -v '^\s*$' "$WORK/$tool-$n.log" | tail -n 15 >&2 || true
        return 1
    fi
    OT_SECONDS[$tool-$n]=$(elapsed "$t0" "$t1")
    OT_RATE[$tool-$n]=$(rate "$n" "${OT_SECONDS[$tool-$n]}")
    OT_RSS[$tool-$n]=$(awk 'm < $1 { m = $1 } END { printf "%.0f", m / 1024 }' "$usage")
    OT_CPU[$tool-$n]=$(awk -v n="$n" '{ t += $2 + $3 } END { printf "%.1f", (n > 0 ? t * 1000 / n : 0) }' "$usage")
    OT_BYTES[$tool-$n]=$(stat -c %s "$out")
    OT_PHOTO[$tool-$n]=$(photo_note "$out" "$(first_photo "$n")")
    OT_PER[$tool-$n]="$(((n + batch - 1) / batch)) x $batch"
}

# Every competitor runs at N1. At N2 they run cheapest first, each only
# when its N1 rate says it fits in what is left of GP_BENCH_BUDGET seconds,
# so the whole bench stays within a few minutes; the report says who was
# left out and why.
declare -A SKIPPED PROJECTED NAME_OF=([weasyprint]="$WP_NAME" [glabels]="$GL_NAME")
run_at_n1() {
    local tool=$1
    if ! run_other "$tool" "$N1"; then
        if [[ $tool == glabels ]]; then
            SKIPPED[$tool]="${NAME_OF[$tool]}: glabels-3-batch could not run headless here (messages above): not measured"
        else
            SKIPPED[$tool]="${NAME_OF[$tool]}: failed (messages above): not measured"
        fi
        return 0
    fi
    # Linear in N: both competitors in fact slow down per page as their
    # batches grow, so this errs low; the default budget allows for it.
    [[ $N2 == "$N1" ]] ||
        PROJECTED[$tool]=$(awk -v s="${OT_SECONDS[$tool-$N1]}" -v a="$N1" -v b="$N2" 'BEGIN { printf "%.0f", s * b / a }')
}
[[ $have_wp == 0 ]] || run_at_n1 weasyprint
[[ $have_gl == 0 ]] || run_at_n1 glabels
left=$BUDGET
for tool in $(for t in "${!PROJECTED[@]}"; do echo "${PROJECTED[$t]} $t"; done | sort -n | cut -d' ' -f2); do
    if [[ ${PROJECTED[$tool]} -le $left ]]; then
        if run_other "$tool" "$N2"; then
            left=$(awk -v l="$left" -v s="${OT_SECONDS[$tool-$N2]}" 'BEGIN { printf "%.0f", (l > s ? l - s : 0) }')
        else
            SKIPPED[$tool]="${NAME_OF[$tool]} at N=$N2: failed (messages above)"
        fi
    else
        SKIPPED[$tool]="${NAME_OF[$tool]} at N=$N2: not run, it would take ~${PROJECTED[$tool]} s at its N=$N1 rate, over the $left s left of GP_BENCH_BUDGET=$BUDGET"
    fi
done

# ---------------------------------------------------------------- report
echo
row() { printf '%-34s %8s %12s %14s %10s  %s\n' "$@"; }
row "" "pages/s" "CPU ms/page" "peak RSS" "size/page" "photo on page 1"
other_rows() {
    local tool=$1 name=$2 n
    for n in "${SIZES[@]}"; do
        [[ -n ${OT_RATE[$tool-$n]:-} ]] || continue
        row "$name, N=$n (${OT_PER[$tool-$n]}/proc)" "${OT_RATE[$tool-$n]}" "${OT_CPU[$tool-$n]}" \
            "${OT_RSS[$tool-$n]} MB/proc" "$(kb "${OT_BYTES[$tool-$n]}" "$n")" "${OT_PHOTO[$tool-$n]}"
    done
}
other_rows weasyprint "$WP_NAME"
other_rows glabels "$GL_NAME"
for n in "${SIZES[@]}"; do
    row "gradprint, N=$n (1 process)" "${GP_RATE[$n]}" "${GP_CPU[$n]}" "${GP_RSS[$n]} MB" \
        "$(kb "${GP_BYTES[$n]}" "${GP_PAGES[$n]}")" "${GP_PHOTO[$n]}"
done
echo
ratios() {
    local tool=$1 name=$2 n
    for n in "${SIZES[@]}"; do
        [[ -n ${OT_RATE[$tool-$n]:-} ]] || continue
        awk -v g="${GP_RATE[$n]}" -v o="${OT_RATE[$tool-$n]}" -v gc="${GP_CPU[$n]}" -v oc="${OT_CPU[$tool-$n]}" \
            -v name="$name" -v n="$n" 'BEGIN {
            printf "gradprint / %s at N=%d: %.1fx in pages/s, %.1fx in CPU time per page\n", name, n,
                (o > 0 ? g / o : 0), (gc > 0 ? oc / gc : 0) }'
    done
    [[ -z ${SKIPPED[$tool]:-} ]] || echo "${SKIPPED[$tool]}"
}
if [[ $have_wp == 1 ]]; then ratios weasyprint "$WP_NAME"; elif [[ " $OTHERS " == *" weasyprint "* ]]; then echo "$WP_NAME: not installed, not measured"; fi
if [[ $have_gl == 1 ]]; then ratios glabels "$GL_NAME"; elif [[ " $OTHERS " == *" glabels "* ]]; then echo "gLabels: not installed, not measured"; fi
echo "target: >= 500 pages/s into one PDF at N=3000 (>= 12x gLabels), RSS < 100 MB whatever N"
awk -v a="${GP_RSS[$N1]}" -v b="${GP_RSS[$N2]}" -v n1="$N1" -v n2="$N2" \
    'BEGIN { printf "memory: %d MB at N=%d, %d MB at N=%d (%s)\n", a, n1, b, n2, (b <= a * 1.25 + 8 ? "flat" : "GROWS WITH N") }'
echo "load average: $LOAD0 at the start, $(load_now) at the end ($(nproc) cores)"
