# Shared by the CLI tests (tests/cli/*.sh, registered in tests/cli.cmake).
# Each test is run as: bash TEST.sh GRADPRINT SOURCE_DIR BUILD_DIR
set -uo pipefail

GP=$1
SRC=$2
BUILD=$3
PASSED=0
FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gradprint-cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        echo "FAIL: $what" >&2
    fi
}

# Fails the test at once when a precondition does not hold.
require() {
    local what=$1
    shift
    if ! "$@"; then
        echo "FAIL (stopping): $what" >&2
        exit 1
    fi
}

contains() { grep -q -F -- "$2" "$1"; }
lacks() { ! grep -q -F -- "$2" "$1"; }
lacks_re() { ! grep -q -E -- "$2" "$1"; }

done_testing() {
    echo "$PASSED passed, $FAILED failed"
    [[ $FAILED -eq 0 ]]
}

# A synthetic roster and photos of N students in $WORK/synth-N.
synth() {
    local n=$1
    [[ -d $WORK/synth-$n ]] || "$BUILD/gradprint-synth" --students "$n" --out "$WORK/synth-$n" >/dev/null
    echo "$WORK/synth-$n"
}

# JSON on stdin: python3 evaluates the expression EXPR with the object as j.
json_true() {
    python3 -c 'import json, sys
j = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1"
}
