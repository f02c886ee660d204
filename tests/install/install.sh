# The install as a user gets it: `cmake --install` into a prefix, the prefix
# moved elsewhere (nothing may point back at the build or the source), then
# a program compiled against it with pkg-config and with find_package, and
# the installed gradprint run away from the source tree: its data and
# translations found relative to itself, its man pages read with man.
# Usage: bash install.sh BUILD_DIR SOURCE_DIR SANITIZE(ON|OFF) CC
set -uo pipefail
BUILD=$1 SRC=$2 SANITIZE=$3 CC=$4
PASSED=0 FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gradprint-install.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
check() {
    local what=$1
    shift
    if "$@"; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "FAIL: $what" >&2; fi
}
require() {
    local what=$1
    shift
    "$@" || { echo "FAIL (stopping): $what" >&2; exit 1; }
}
# Nothing of the developer's environment may help the installed tree.
unset GRADPRINT_DATADIR GRADPRINT_LOCALEDIR LANGUAGE LC_ALL LC_MESSAGES
export LANG=C.UTF-8
flags=()
[[ $SANITIZE == ON ]] && flags=(-fsanitize=address,undefined)

require "cmake --install" cmake --install "$BUILD" --prefix "$WORK/staged" >/dev/null
mv "$WORK/staged" "$WORK/moved"
P=$WORK/moved
pc=$(find "$P" -name gradprint.pc)
require "gradprint.pc installed" test -n "$pc"
libdir=$(dirname "$(dirname "$pc")")

# pkg-config: the .pc finds its prefix from where it lies.
export PKG_CONFIG_PATH=$(dirname "$pc")
# first_dir FLAG: the directory of pkg-config's first -I or -L, resolved.
first_dir() { realpath -m "$(pkg-config "$1" gradprint | tr ' ' '\n' | sed -n 's/^-[IL]//p' | head -1)"; }
check "pkg-config --cflags points into the moved prefix" test "$(first_dir --cflags)" = "$P/include"
check "pkg-config --libs points into the moved prefix" test "$(first_dir --libs-only-L)" = "$libdir"
check "pkg-config --libs links gradprint" test "$(pkg-config --libs-only-l gradprint | xargs)" = "-lgradprint"
# shellcheck disable=SC2046
require "compiles with pkg-config's flags" \
    "$CC" "${flags[@]}" -std=c11 -Wall -Werror "$SRC/tests/install/app.c" $(pkg-config --cflags --libs gradprint) \
    -o "$WORK/app-pc"
LD_LIBRARY_PATH=$libdir "$WORK/app-pc" >"$WORK/out" 2>&1
check "the pkg-config program runs" test $? -eq 0
check "it finds the data relative to the installed library" grep -qx "data $P/share/gradprint" "$WORK/out"
check "it loads the installed template" grep -qx "page 270 x 190 mm" "$WORK/out"

# find_package: gradprint::gradprint and, as a component, the static library.
require "configures with find_package(gradprint)" \
    cmake -S "$SRC/tests/install/consumer" -B "$WORK/consumer" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_COMPILER="$CC" \
    -DCMAKE_C_FLAGS="${flags[*]}" -DAPP_SOURCE="$SRC/tests/install/app.c" >"$WORK/cmake.log" 2>&1
require "builds against gradprint::gradprint" cmake --build "$WORK/consumer" >>"$WORK/cmake.log" 2>&1
"$WORK/consumer/app" >"$WORK/out" 2>&1
check "the find_package program runs (no LD_LIBRARY_PATH)" test $? -eq 0
check "and finds the data relative to the library" grep -qx "data $P/share/gradprint" "$WORK/out"
GRADPRINT_DATADIR=$P/share/gradprint "$WORK/consumer/app_static" >"$WORK/out" 2>&1
check "the static program runs" test $? -eq 0
check "the static program is not linked to libgradprint.so" sh -c "! ldd '$WORK/consumer/app_static' | grep -q libgradprint"

# The installed tool, run from elsewhere.
mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere" || exit 1
"$P/bin/gradprint" demo --out out --json >"$WORK/demo.json" 2>"$WORK/demo.log"
check "the installed gradprint runs its demo (RPATH, data beside it)" test $? -eq 0
check "demo --json: one envelope for all its jobs" python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
ok = (j["command"] == "demo" and j["ok"] and j["exit"] == 0 and j["sheets"]["rendered"] == 36 and
      len(j["certificates"]) == 4 and all(c["pages"] == 36 for c in j["certificates"]) and
      len(j["calibration"]) == 2 and j["failed_step"] is None)
sys.exit(0 if ok else 1)' "$WORK/demo.json"
check "the demo made sheets" test "$(find out/photo-sheets -name '*.jpg' | wc -l)" -gt 36
check "the demo made certificates" test -s out/certificates/diploma-bachelor.pdf
check "the demo made degree certificates" test -s out/certificates/degree-bachelor.pdf
"$P/bin/gradprint" template check diploma-bachelor >"$WORK/out" 2>&1
check "template check finds the installed template" grep -q "^template $P/share/gradprint/templates/diploma-bachelor.xml" "$WORK/out"
LANGUAGE=zh_CN "$P/bin/gradprint" sheets --help >"$WORK/out" 2>&1
check "LANGUAGE=zh_CN: Chinese help from the installed translations" grep -q "^用法：gradprint sheets" "$WORK/out"
env -u LANGUAGE LANG=zh_CN.UTF-8 "$P/bin/gradprint" template check "$WORK/nope.xml" >"$WORK/out" 2>&1
check "LANG=zh_CN.UTF-8: Chinese messages" grep -q "没有该模板" "$WORK/out"

# Nothing in the installed files points at the source or the build tree
# (debug information aside: stripped copies are compared). Sanitizers keep
# the names of the source files for their reports: there only paths that
# are not a .c, .h or .cpp file would be a directory the library could look in.
paths_into() { strings -a "$2" | grep -o -E "$1[^[:space:]\"'<>]*" | grep -v -E '\.(c|h|cpp|hpp)$'; }
for f in "$libdir"/libgradprint.so.*.*.* "$P/bin/gradprint"; do
    strip -o "$WORK/stripped" "$f"
    if [[ $SANITIZE == ON ]]; then
        found=$(paths_into "$SRC" "$WORK/stripped")
        check "$(basename "$f") names no source directory: $found" test -z "$found"
    else
        check "$(basename "$f") holds no source path" sh -c "! grep -a -q -F '$SRC' '$WORK/stripped'"
    fi
    check "$(basename "$f") holds no build path" sh -c "! grep -a -q -F '$BUILD' '$WORK/stripped'"
done
check "gradprint.pc holds no absolute path" sh -c "! grep -q -E '=/' '$pc'"
check "the CMake package holds no build path" sh -c "! grep -r -q -F '$BUILD' '$libdir/cmake/gradprint'"

# Man pages, English and Chinese.
export MANPATH=$P/share/man MANWIDTH=100
for page in gradprint gradprint-sheets gradprint-certs gradprint-calibrate gradprint-template gradprint-demo \
    gradprint-print gradprint-status gradprint-reprint gradprint-void gradprint-report; do
    man -P cat "$page" >"$WORK/man" 2>/dev/null
    check "man $page" grep -q "^SYNOPSIS" "$WORK/man"
    man -L zh_CN -P cat "$page" >"$WORK/man" 2>/dev/null
    check "man -L zh_CN $page" grep -q "^概要" "$WORK/man"
done
man -P cat gradprint-sheets >"$WORK/man" 2>/dev/null
check "gradprint-sheets(1) lists --roster as an option" grep -q -- "^ *--roster FILE" "$WORK/man"
check "gradprint(1) lists the commands" grep -q "template" "$WORK/man" && man -P cat gradprint 2>/dev/null | grep -q "sheets"
check "TEMPLATES.md is installed" test -s "$P/share/doc/gradprint/TEMPLATES.md"

echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
