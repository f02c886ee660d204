#!/usr/bin/env bash
# gradprint calibrate --scan as an operator runs it: a simulated scan of the
# calibration page printed 1.5 mm right and 1 mm up on the diploma blank
# (tests/scan-sim-main.c) gives a profile that cancels it, written 0600 with
# its comment and read back by certs; refusals exit 2 with the one JSON
# envelope; usage errors exit 1.
source "$(dirname "$0")/lib.sh"

TPL=$SRC/templates/diploma-bachelor.xml
BLANK=$SRC/templates/blanks/diploma-blank.pdf
SIM=$BUILD/tests/scan-sim
cd "$WORK" || exit 1

require "calibration page" "$GP" calibrate --template "$TPL" --out page.pdf >/dev/null
require "scan" "$SIM" "$BLANK" "$WORK/page.pdf" 270 190 1.5 -1.0 1.0 scan.jpg
require "blank scan" "$SIM" "$BLANK" - 270 190 0 0 1.0 blank.jpg

"$GP" calibrate --template "$TPL" --scan scan.jpg --write-profile printer.profile --proof proof.png >out.txt 2>err.txt
check "exit 0" test $? -eq 0
check "figures printed" contains out.txt "marks found"
check "before and after" contains out.txt "with profile:"
check "profile written 0600" test "$(stat -c %a printer.profile)" = 600
check "proof written 0600" test "$(stat -c %a proof.png)" = 600
check "comment names the scan" grep -q '^# .*scan.jpg' printer.profile
# The printer moved marks +1.5, -1.0 mm: the profile moves them back.
check "offset-x cancels" python3 -c 'import re,sys
t=open("printer.profile").read()
v=dict(re.findall(r"^([a-z-]+) = (\S+)$", t, re.M))
sys.exit(0 if abs(float(v["offset-x"])+1.5) < 0.1 and abs(float(v["offset-y"])-1.0) < 0.1 and abs(float(v["scale-x"])-1) < 0.001 else 1)'
check "the profile loads" "$GP" calibrate --template "$TPL" --profile printer.profile --out check.pdf

"$GP" calibrate --template "$TPL" --scan scan.jpg --write-profile printer.profile >/dev/null 2>&1
check "an existing profile is kept: exit 1" test $? -eq 1

"$GP" calibrate --template "$TPL" --scan scan.jpg --json >out.json 2>/dev/null
check "--json exit 0" test $? -eq 0
check "--json envelope" json_true 'j["command"] == "calibrate" and j["ok"] and j["exit"] == 0 and j["error"] is None and j["marks_found"] >= 30 and abs(j["profile"]["offset_x_mm"] + 1.5) < 0.1 and len(j["marks"]) == j["marks_expected"] and j["rms_after_mm"] < 0.1' <out.json

"$GP" calibrate --template "$TPL" --scan blank.jpg --write-profile blank.profile --json >out.json 2>/dev/null
check "unprinted blank: exit 2" test $? -eq 2
check "unprinted blank: the reason" json_true 'not j["ok"] and j["exit"] == 2 and "magenta" in j["error"] and j["profile"] is None' <out.json
check "unprinted blank: nothing written" test ! -e blank.profile

"$GP" calibrate --template "$TPL" --scan missing.jpg >/dev/null 2>err.txt
check "missing scan: exit 3" test $? -eq 3
"$GP" calibrate --template "$TPL" --write-profile x.profile >/dev/null 2>err.txt
check "--write-profile without --scan: exit 1" test $? -eq 1
"$GP" calibrate --template "$TPL" --scan scan.jpg --out p.pdf --json >out.json 2>/dev/null
check "--scan with --out: exit 1" test $? -eq 1
check "usage error envelope" json_true 'j["exit"] == 1 and not j["ok"]' <out.json
check "leaves no temporary files" test -z "$(ls -A | grep '\.tmp-')"

done_testing
