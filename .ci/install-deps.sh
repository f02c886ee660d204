#!/usr/bin/env bash
# .ci/install-deps.sh — the Debian 12 packages gradprint's build, tests,
# fuzzers, benchmark and (coming) printing tests need. Run as root. Skips apt
# entirely when everything is already installed, so reruns take a second.
set -euo pipefail

packages=(
    # build
    build-essential cmake pkg-config gettext
    clang libclang-rt-14-dev
    libcairo2-dev libpango1.0-dev libpoppler-glib-dev libcups2-dev
    libturbojpeg0-dev libjpeg62-turbo-dev libjpeg-turbo-progs
    libxml2-dev libxml2-utils libqrencode-dev libzip-dev
    libfreexl-dev  # .xls rosters (Excel 97-2003, still exported by 正方 and others)
    libicu-dev  # pinyin order of class names
    # fonts the templates and the tests rely on
    fontconfig fonts-noto-cjk fonts-hanazono fonts-lxgw-wenkai
    fonts-dejavu-core  # gradprint-synth draws "SAMPLE" and the number in DejaVu Sans
    # tests: read outputs back
    poppler-utils qpdf zbar-tools
    # the install test reads the installed man pages
    man-db
    # samples (roster.xlsx) and the benchmark
    python3-openpyxl imagemagick time
    # printing tests: a private cupsd and a virtual IPP printer
    cups-daemon cups-client cups-ipp-utils cups-filters dbus-daemon
    # a print test whose child hangs prints where its threads wait (tests/test-print.c)
    elfutils
    # real printer drivers the driver-chain test prints through, and
    # Ghostscript to read back PostScript (tests/test-driver-chains.c)
    printer-driver-hpcups printer-driver-gutenprint printer-driver-postscript-hp openprinting-ppds ghostscript
    # photos (gradprint photos, the sheets/certs photo checks): OpenCV's Haar
    # face and eye detectors (objdetect + imgproc; the cascades are in
    # opencv-data) and Little CMS for embedded colour profiles; for the
    # tests the public-domain astronaut portrait the real-face test photos are
    # made from (python3-skimage) and 7-Zip to open the AES-256 backup; for
    # bench-photos.sh what a contractor would otherwise script (OpenCV from Python)
    libopencv-objdetect-dev libopencv-imgproc-dev opencv-data liblcms2-dev
    # calibration from a scan (gradprint calibrate --scan): ORB features and
    # a RANSAC homography register the scan against the blank
    libopencv-features2d-dev libopencv-calib3d-dev
    python3-skimage p7zip-full python3-opencv
)

# One dpkg-query for all: unknown packages print nothing and count as missing.
declare -A state=()
while read -r name status; do
    state[$name]=$status
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null || true)
missing=()
for p in "${packages[@]}"; do
    [[ ${state[$p]:-} == installed ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages: ${missing[*]}" >&2
    echo "install-deps: run as root (or: sudo bash $0)" >&2
    exit 1
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
