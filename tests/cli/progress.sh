# The progress bar, on a terminal (script(1) provides one): with --format
# both it moves while sheets complete (the pool's timing is tested exactly
# in test-pool), and it never shows a rate measured over a few milliseconds
# (it read 373831757/s).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$(synth 60)
script -qec "'$GP' sheets --roster '$S/roster.csv' --photos '$S/photos' --out '$WORK/out' --format both --jobs 2" \
    /dev/null >"$WORK/tty" 2>&1
check "sheets on a terminal succeeds" test $? -eq 0

tr '\r' '\n' <"$WORK/tty" | grep -a -E '^(checking|rendering) ' >"$WORK/bars"
check "the bar was drawn" test -s "$WORK/bars"
total=$(grep -a '^rendering' "$WORK/bars" | tail -1 | sed -E 's/.*\] [0-9]+\/([0-9]+).*/\1/')
check "rendering has a total" test -n "$total"
grep -a '^rendering' "$WORK/bars" | sed -E 's/.*\] ([0-9]+)\/.*/\1/' >"$WORK/done"
check "the bar moves" test "$(sort -n "$WORK/done" | uniq | wc -l)" -gt 3
fastest=$(grep -a -o -E '[0-9]+/s' "$WORK/bars" | tr -d '/s' | sort -n | tail -1)
check "no absurd rate (fastest shown: ${fastest:-none}/s)" test "${fastest:-0}" -lt 100000

done_testing
