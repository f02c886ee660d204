# Control characters from roster cells and file names never reach the
# terminal raw: an ESC ] 0 ; ... BEL that would retitle the terminal, an
# ESC [ 2 J that would clear it, a newline that would split a finding, a
# bidi override that would reorder it, and bytes that are not UTF-8 are
# all shown escaped in every human-readable message. --json keeps the
# exact values (JSON escapes them its own way).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$(synth 3)
python3 - "$S/roster.csv" "$WORK/hostile.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
head = rows[0]
r = rows[1]
r[head.index("学号")] = "2021\x1b]0;pwned\x07\x1b[2J01"
r[head.index("姓名")] = "张\n三\u202e"
r[head.index("身份证号")] = r[head.index("身份证号")][:-1] + "\x1b[31m"
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows)
PY

# no_raw_controls FILE: no byte below 0x20 but the line ends, no DEL, no
# UTF-8 C1 or bidi control.
no_raw_controls() {
    ! LC_ALL=C grep -q -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}
# every_line_a_message FILE: each line is one whole finding or error.
every_line_a_message() { ! grep -v -E '^(error|warning|错误|警告): |^gradprint' "$1" | grep -q .; }

"$GP" sheets --roster "$WORK/hostile.csv" --photos "$S/photos" --out "$WORK/out" 2>"$WORK/err" >"$WORK/outp"
check "sheets refuses the roster (exit 2)" test $? -eq 2
check "no raw control character on stderr" no_raw_controls "$WORK/err"
check "each stderr line is one message (the newline in a cell did not split one)" every_line_a_message "$WORK/err"
check "the student number is shown escaped" contains "$WORK/err" '[2021\x1b]0;pwned\x07\x1b[2J01]'
check "the name's newline and bidi override are shown escaped" contains "$WORK/err" '"张\n三\u202e"'

# The same in Chinese.
LANGUAGE=zh_CN LANG=C.UTF-8 "$GP" sheets --roster "$WORK/hostile.csv" --photos "$S/photos" --out "$WORK/out" \
    2>"$WORK/err-zh" >/dev/null
check "zh_CN: no raw control character on stderr" no_raw_controls "$WORK/err-zh"
check "zh_CN: each stderr line is one message" every_line_a_message "$WORK/err-zh"

# --json carries the values exactly.
"$GP" sheets --roster "$WORK/hostile.csv" --photos "$S/photos" --out "$WORK/out" --json >"$WORK/json" 2>"$WORK/err"
check "--json: valid JSON with the exact student number" \
    json_true 'any(f["student_no"] == "2021\x1b]0;pwned\x07\x1b[2J01" for f in j["findings"])' <"$WORK/json"
check "--json: nothing on stderr" test ! -s "$WORK/err"
check "--json: no raw control character in the JSON either" no_raw_controls "$WORK/json"

# File names: a roster, a template and an output whose names carry escapes
# and a byte that is not UTF-8.
evil=$WORK/$'roster\e]0;x\a\e[2J\xff.csv'
cp "$WORK/hostile.csv" "$evil"
"$GP" sheets --roster "$evil" --photos "$S/photos" --out "$WORK/out" 2>"$WORK/err"
check "a file name's escapes are shown escaped" contains "$WORK/err" 'roster\x1b]0;x\x07\x1b[2J\xff.csv'
check "no raw control character from a file name" no_raw_controls "$WORK/err"
"$GP" certs --roster "$evil" --template "$WORK/"$'\e[2Jt.xml' --out "$WORK/"$'\e[5mo.pdf' 2>"$WORK/err"
check "certs: a template name's escapes are shown escaped" contains "$WORK/err" '\x1b[2Jt.xml'
check "certs: no raw control character" no_raw_controls "$WORK/err"
"$GP" sheets --roster "$evil" --photos "$S/photos" --out "$WORK/out" --format $'\e[2J' 2>"$WORK/err"
check "a usage error quoting an argument escapes it" contains "$WORK/err" "'\\x1b[2J'"
check "usage error: no raw control character" no_raw_controls "$WORK/err"

done_testing
