#!/usr/bin/env bash
# bench/bench-photos.sh [N1 [N2 [NORIG]]]   (defaults 200, 1000 and 40)
#
# Photos checked per second (N1 and N2 conforming 480x640 photos) and
# prepared per second (NORIG 24-megapixel camera originals, 6000x4000, and
# three times as many), side by side with what a contractor would otherwise
# script: Python with OpenCV's own bindings (the same Haar cascades) and
# ImageMagick. Prints rates, CPU per photo, peak RSS and the ratios. See
# bench/README.md.
#
# Environment:
#   GP_BENCH_BUILD  build directory (default: <repo>/build-bench-photos, Release, with the
#                   test-photos-make data tool)
#   GP_BENCH_JOBS   worker threads for gradprint, processes for the others (default: nproc)
#   GP_BENCH_KEEP=1 keep the work directory (printed at the end)
set -euo pipefail

N1=${1:-200}
N2=${2:-1000}
NORIG=${3:-40}
for n in "$N1" "$N2" "$NORIG"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N1 [N2 [NORIG]]]  (whole numbers of photos)" >&2; exit 2; }
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${GP_BENCH_BUILD:-$ROOT/build-bench-photos}
JOBS=${GP_BENCH_JOBS:-$(nproc)}
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

TIME=/usr/bin/time
PY=/usr/bin/python3 # the Debian python, where python3-opencv is
IM=$(command -v convert-im6.q16 || command -v /usr/bin/convert || true)
CASCADES=${GRADPRINT_CASCADE_DIR:-/usr/share/opencv4/haarcascades}
for tool in "$TIME" "$PY" "$IM" djpeg; do
    command -v "$tool" >/dev/null || { echo "bench: needs $tool (bash .ci/install-deps.sh)" >&2; exit 1; }
done
"$PY" -c 'import cv2' 2>/dev/null || { echo "bench: needs python3-opencv (bash .ci/install-deps.sh)" >&2; exit 1; }

bench_workdir gp-bench-photos

# ---------------------------------------------------------------- build
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
    echo "bench: configuring $BUILD (Release)"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DGP_TESTS=ON >/dev/null
fi
cmake --build "$BUILD" -j "$JOBS" --target gradprint_cli test-photos-make >/dev/null
GP=${GP_BENCH_GRADPRINT:-$BUILD/gradprint}
MAKE=$BUILD/tests/test-photos-make
export GRADPRINT_DATADIR=$ROOT

# ---------------------------------------------------------------- data
echo "bench: making $N2 photos and $NORIG 24-megapixel originals in $WORK ($(nproc) cores, $JOBS jobs)"
mkdir -p "$WORK/photos-$N2" "$WORK/photos-$N1" "$WORK/orig-$NORIG" "$WORK/orig-$((3 * NORIG))"
"$MAKE" photos "$WORK/photos-$N2" "$N2"
find "$WORK/photos-$N2" -name '*.jpg' | sort | head -n "$N1" | xargs -I{} ln {} "$WORK/photos-$N1/"
"$MAKE" originals "$WORK/orig-$NORIG" "$NORIG"
# Three times as many: the same originals under other ID numbers.
i=0
for f in "$WORK/orig-$NORIG"/*.jpg; do
    for k in 1 2 3; do
        ln "$f" "$WORK/orig-$((3 * NORIG))/$k-$(basename "$f")"
        i=$((i + 1))
    done
done
cat >"$WORK/names.csv" <<CSV
文件名,身份证号
CSV
for f in "$WORK/orig-$((3 * NORIG))"/*.jpg; do
    b=$(basename "$f")
    # k-<ID>.jpg: k 1..3 keeps them distinct; the ID changes its sequence digits with k.
    k=${b%%-*}
    id=${b#*-}
    id=${id%.jpg}
    echo "$b,$id,$k"
done | "$PY" -c '
import sys
w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
for line in sys.stdin:
    f, i, k = line.strip().split(",")
    body = i[:6] + str(1990 + int(k)) + i[10:17]
    print(f + "," + body + "10X98765432"[sum(int(c) * x for c, x in zip(body, w)) % 11])
' >>"$WORK/names.csv"
ORIG_MB=$(du -sm --apparent-size "$WORK/orig-$NORIG" | cut -f1)

# ---------------------------------------------------------------- helpers
declare -A RATE CPU RSS
# measure KEY N COMMAND...: wall-clock rate, CPU ms per item, peak RSS.
measure() {
    local key=$1 n=$2 t0 t1
    shift 2
    t0=$(now)
    if ! "$TIME" -v -o "$WORK/time-$key.txt" "$@" >"$WORK/$key.log" 2>&1; then
        if ! grep -q . "$WORK/$key.log"; then
            echo "bench: $key failed" >&2
            exit 1
        fi
    fi
    t1=$(now)
    RATE[$key]=$(rate "$n" "$(elapsed "$t0" "$t1")")
    CPU[$key]=$(cpu_ms_per "$WORK/time-$key.txt" "$n")
    RSS[$key]=$(rss_mb_of "$WORK/time-$key.txt")
}

# ---------------------------------------------------------------- check
measure gp-check-$N1 "$N1" "$GP" photos check "$WORK/photos-$N1" --jobs "$JOBS" --quiet
measure gp-check-$N2 "$N2" "$GP" photos check "$WORK/photos-$N2" --jobs "$JOBS" --quiet
grep -q "0 fail" "$WORK/gp-check-$N2.log" || { echo "bench: photos check found failures:" >&2; tail -3 "$WORK/gp-check-$N2.log" >&2; exit 1; }

# What a contractor would script: size, dpi and file size with ImageMagick's
# identify, and the face and eyes with OpenCV from Python (same cascades,
# the tutorials' settings), one process per core.
cat >"$WORK/check.py" <<'PYEOF'
import cv2, os, sys
from multiprocessing import Pool
cascades = sys.argv[2]
face = eye = None
def init():
    global face, eye
    cv2.setNumThreads(1)
    face = cv2.CascadeClassifier(os.path.join(cascades, "haarcascade_frontalface_default.xml"))
    eye = cv2.CascadeClassifier(os.path.join(cascades, "haarcascade_eye.xml"))
def check(path):
    img = cv2.imread(path)
    ok = img is not None and img.shape[1] == 480 and img.shape[0] == 640 and 20480 <= os.path.getsize(path) <= 40960
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    faces = face.detectMultiScale(gray, 1.1, 5, minSize=(100, 100))
    if len(faces) != 1:
        return False
    x, y, w, h = faces[0]
    eyes = eye.detectMultiScale(gray[y:y + h // 2, x:x + w], 1.1, 5)
    return ok and len(eyes) >= 2 and 200 <= y + h * 0.4 <= 300 and 180 <= w <= 300
if __name__ == "__main__":
    files = sorted(os.path.join(sys.argv[1], f) for f in os.listdir(sys.argv[1]) if f.endswith(".jpg"))
    with Pool(int(sys.argv[3]), initializer=init) as pool:
        results = pool.map(check, files, chunksize=16)
    print(len(files), "checked,", sum(results), "pass")
PYEOF
measure py-check-$N1 "$N1" "$PY" "$WORK/check.py" "$WORK/photos-$N1" "$CASCADES" "$JOBS"
identify_all() {
    find "$1" -name '*.jpg' -print0 | xargs -0 -n 50 -P "$2" identify -format '%w %h %x %y %Q %b\n' >/dev/null
}
export -f identify_all
measure im-identify-$N1 "$N1" bash -c "identify_all '$WORK/photos-$N1' $JOBS"

# ---------------------------------------------------------------- prepare
measure gp-prep-$NORIG "$NORIG" "$GP" photos prepare --in "$WORK/orig-$NORIG" --out "$WORK/out-$NORIG" \
    --jobs "$JOBS" --quiet
measure gp-prep-$((3 * NORIG)) "$((3 * NORIG))" "$GP" photos prepare --in "$WORK/orig-$((3 * NORIG))" \
    --names "$WORK/names.csv" --out "$WORK/out-$((3 * NORIG))" --jobs "$JOBS" --quiet
WRITTEN=$(find "$WORK/out-$NORIG" -name '*.jpg' | wc -l)
[[ $WRITTEN -eq $NORIG ]] || { echo "bench: prepare wrote $WRITTEN of $NORIG:" >&2; tail -5 "$WORK/gp-prep-$NORIG.log" >&2; exit 1; }
measure gp-verify "$NORIG" "$GP" photos check "$WORK/out-$NORIG" --quiet
grep -q " 0 fail" "$WORK/gp-verify.log" || { echo "bench: prepared photos fail the check" >&2; exit 1; }

# The floor: one Huffman pass over every original (djpeg at 1/8, DC only),
# which any tool preparing from these files has to pay.
floor() { find "$1" -name '*.jpg' -print0 | xargs -0 -n 1 -P "$2" djpeg -scale 1/8 -outfile /dev/null; }
export -f floor
measure djpeg-floor "$NORIG" bash -c "floor '$WORK/orig-$NORIG' $JOBS"

# OpenCV from Python: read, detect on a quarter-size copy, crop around the
# face by fixed proportions, INTER_AREA to 480x640, and the JPEG quality
# stepped down until the file fits 40 KB.
cat >"$WORK/prepare.py" <<'PYEOF'
import cv2, os, sys
from multiprocessing import Pool
cascades, out = sys.argv[2], sys.argv[4]
face = None
def init():
    global face
    cv2.setNumThreads(1)
    face = cv2.CascadeClassifier(os.path.join(cascades, "haarcascade_frontalface_default.xml"))
def prepare(path):
    img = cv2.imread(path)
    small = cv2.resize(img, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    faces = face.detectMultiScale(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), 1.1, 5, minSize=(60, 60))
    if len(faces) != 1:
        return False
    x, y, w, h = [v * 4 for v in faces[0]]
    cw = int(w / 0.5); ch = cw * 4 // 3
    x0 = max(0, x + w // 2 - cw // 2); y0 = max(0, y - int(0.45 * h))
    crop = cv2.resize(img[y0:y0 + ch, x0:x0 + cw], (480, 640), interpolation=cv2.INTER_AREA)
    for q in range(95, 59, -5):
        ok, buf = cv2.imencode(".jpg", crop, [cv2.IMWRITE_JPEG_QUALITY, q])
        if len(buf) <= 40960:
            break
    with open(os.path.join(out, os.path.basename(path)), "wb") as f:
        f.write(buf.tobytes())
    return True
if __name__ == "__main__":
    os.makedirs(out, exist_ok=True)
    files = sorted(os.path.join(sys.argv[1], f) for f in os.listdir(sys.argv[1]) if f.endswith(".jpg"))
    with Pool(int(sys.argv[3]), initializer=init) as pool:
        print(sum(pool.map(prepare, files)), "prepared")
PYEOF
measure py-prep "$NORIG" "$PY" "$WORK/prepare.py" "$WORK/orig-$NORIG" "$CASCADES" "$JOBS" "$WORK/py-out"

# ImageMagick without any face: centre crop, resize, 300 dpi, quality 85.
im_prepare() {
    find "$1" -name '*.jpg' -print0 | xargs -0 -I{} -P "$3" sh -c \
        'MAGICK_THREAD_LIMIT=1 '"$IM"' "$1" -resize x960 -gravity center -crop 720x960+0+0 +repage -resize 480x640 -strip -density 300 -units PixelsPerInch -quality 85 "$2/$(basename "$1")"' _ {} "$2"
}
export -f im_prepare
export IM
mkdir -p "$WORK/im-out"
measure im-prep "$NORIG" bash -c "im_prepare '$WORK/orig-$NORIG' '$WORK/im-out' $JOBS"

# ---------------------------------------------------------------- report
echo
row() { printf '%-58s %9s %12s %11s\n' "$@"; }
row "photos check (480x640, ~36 KB)" "photos/s" "CPU ms/ph." "peak RSS"
row "  gradprint photos check, N=$N1" "${RATE[gp-check-$N1]}" "${CPU[gp-check-$N1]}" "${RSS[gp-check-$N1]} MB"
row "  gradprint photos check, N=$N2" "${RATE[gp-check-$N2]}" "${CPU[gp-check-$N2]}" "${RSS[gp-check-$N2]} MB"
row "  Python + OpenCV (face, eyes, size; $JOBS procs), N=$N1" "${RATE[py-check-$N1]}" "${CPU[py-check-$N1]}" \
    "${RSS[py-check-$N1]} MB"
row "  ImageMagick identify (size, dpi, quality only), N=$N1" "${RATE[im-identify-$N1]}" \
    "${CPU[im-identify-$N1]}" "${RSS[im-identify-$N1]} MB"
echo
row "photos prepare (6000x4000 originals, ${ORIG_MB} MB for $NORIG)" "photos/s" "CPU ms/ph." "peak RSS"
row "  gradprint photos prepare, N=$NORIG" "${RATE[gp-prep-$NORIG]}" "${CPU[gp-prep-$NORIG]}" \
    "${RSS[gp-prep-$NORIG]} MB"
row "  gradprint photos prepare --names, N=$((3 * NORIG))" "${RATE[gp-prep-$((3 * NORIG))]}" \
    "${CPU[gp-prep-$((3 * NORIG))]}" "${RSS[gp-prep-$((3 * NORIG))]} MB"
row "  Python + OpenCV (face, fixed-ratio crop), N=$NORIG" "${RATE[py-prep]}" "${CPU[py-prep]}" "${RSS[py-prep]} MB"
row "  ImageMagick (centre crop, no face), N=$NORIG" "${RATE[im-prep]}" "${CPU[im-prep]}" "${RSS[im-prep]} MB/proc"
row "  floor: djpeg -scale 1/8 (one Huffman pass), N=$NORIG" "${RATE[djpeg-floor]}" "${CPU[djpeg-floor]}" \
    "${RSS[djpeg-floor]} MB"
echo
awk -v g="${RATE[gp-check-$N2]}" -v p="${RATE[py-check-$N1]}" -v i="${RATE[im-identify-$N1]}" \
    -v gp="${RATE[gp-prep-$((3 * NORIG))]}" -v pp="${RATE[py-prep]}" -v ip="${RATE[im-prep]}" \
    -v f="${RATE[djpeg-floor]}" 'BEGIN {
    printf "check:   %.1fx Python+OpenCV, %.1fx ImageMagick identify   (target >= 100 photos/s on 2 cores: %s)\n",
        g / p, g / i, (g >= 100 ? "met" : "NOT MET")
    printf "prepare: %.1fx Python+OpenCV, %.1fx ImageMagick, %.0f%% of the djpeg floor   (target >= 20 photos/s: %s)\n",
        gp / pp, gp / ip, 100 * gp / f, (gp >= 20 ? "met" : "NOT MET")
}'
awk -v a="${RSS[gp-check-$N1]}" -v b="${RSS[gp-check-$N2]}" -v c="${RSS[gp-prep-$NORIG]}" \
    -v d="${RSS[gp-prep-$((3 * NORIG))]}" -v n1="$N1" -v n2="$N2" -v m1="$NORIG" -v m2="$((3 * NORIG))" 'BEGIN {
    printf "memory:  check %d MB at N=%d, %d MB at N=%d (%s); prepare %d MB at N=%d, %d MB at N=%d (%s)\n",
        a, n1, b, n2, (b <= a * 1.25 + 8 ? "flat" : "GROWS WITH N"), c, m1, d, m2, (d <= c * 1.25 + 8 ? "flat" : "GROWS WITH N")
}'
echo "load average at the end: $(load_now) (other work on the machine slows every row alike)"
