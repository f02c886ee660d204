# --json: every command answers with one envelope on stdout, whatever
# happened — {"command", "ok", "exit", "error", "findings", and the
# command's own fields} — including usage errors, and its "exit" is the
# process's exit status. Parsed with python3, not with the tool's code.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$(synth 3)
TPL=$SRC/templates/diploma-bachelor.xml

# envelope NAME EXIT COMMAND EXPR ARGS...: runs gradprint ARGS, checks the
# status, the envelope's common fields and the expression EXPR over it.
envelope() {
    local name=$1 want=$2 command=$3 expr=$4
    shift 4
    "$GP" "$@" >"$WORK/json" 2>"$WORK/err"
    local status=$?
    check "$name: exit status $status, want $want" test "$status" -eq "$want"
    check "$name: one envelope" json_true "set(['command', 'ok', 'exit', 'error', 'findings']) <= set(j) and \
j['command'] == $command and j['exit'] == $want and j['ok'] == ($want == 0) and isinstance(j['findings'], list)" \
        <"$WORK/json"
    check "$name: $expr" json_true "$expr" <"$WORK/json"
    check "$name: exactly one line on stdout" test "$(wc -l <"$WORK/json")" -eq 1
}

# Usage errors, for every command, before or after --json.
for c in sheets certs calibrate template demo print status reprint void report printer photos; do
    envelope "$c --bogus --json" 1 "'$c'" "'--bogus' in j['usage']" "$c" --bogus --json
    envelope "$c --json --bogus" 1 "'$c'" "'--bogus' in j['usage']" "$c" --json --bogus
done
envelope "unknown command" 1 "'frobnicate'" "'frobnicate' in j['usage']" frobnicate --json
envelope "no command" 1 "None" "j['usage'] != ''" --json
envelope "printer check --bogus" 1 "'printer check'" "'--bogus' in j['usage']" printer check --bogus --json
envelope "photos check --bogus" 1 "'photos check'" "'--bogus' in j['usage']" photos check --json --bogus
envelope "photos without a subcommand" 1 "'photos'" "'check' in j['usage']" photos --json
envelope "printer without a subcommand" 1 "'printer'" "'check' in j['usage']" printer --json
envelope "void without --blank" 1 "'void'" "'--blank' in j['usage']" void --run "$WORK" --json
envelope "sheets missing --out" 1 "'sheets'" "'--out' in j['usage']" sheets --roster "$S/roster.csv" --json

# sheets: done, and refused.
envelope "sheets done" 0 "'sheets'" "j['rendered'] == 3 and j['skipped'] == 0 and j['invalid'] == 0 and \
j['students'] == 3 and j['out_dir'].endswith('/sheets-ok')" \
    sheets --roster "$S/roster.csv" --photos "$S/photos" --out "$WORK/sheets-ok" --json
sed '3s/,\([0-9]\{17\}\)[0-9X],/,\10,/' "$S/roster.csv" >"$WORK/bad.csv" # a wrong check digit
cmp -s "$S/roster.csv" "$WORK/bad.csv" && echo "FAIL: could not corrupt the roster" >&2 && FAILED=$((FAILED + 1))
envelope "sheets refused" 2 "'sheets'" "j['rendered'] == 0 and j['skipped'] == 0 and j['invalid'] == 1 and \
j['out_dir'] is None and j['error'] and any(f['severity'] == 'error' and f['line'] == 3 for f in j['findings'])" \
    sheets --roster "$WORK/bad.csv" --photos "$S/photos" --out "$WORK/sheets-bad" --json
check "refused sheets wrote nothing" test ! -e "$WORK/sheets-bad"
envelope "sheets --skip-invalid" 0 "'sheets'" "j['rendered'] == 2 and j['skipped'] == 1 and j['invalid'] == 1" \
    sheets --roster "$WORK/bad.csv" --photos "$S/photos" --out "$WORK/sheets-skip" --skip-invalid --json

# certs
envelope "certs done" 0 "'certs'" "j['rendered'] == 2 and j['selected'] == 2 and j['out'].endswith('c.pdf') and \
j['png_dir'].endswith('png')" \
    certs --roster "$S/roster.csv" --photos "$S/photos" --template "$TPL" --out "$WORK/c.pdf" --png "$WORK/png" \
    --records 2-3 --json
envelope "certs, a profile that does not exist" 3 "'certs'" "j['error'] and 'no-such-profile' in j['error']" \
    certs --roster "$S/roster.csv" --photos "$S/photos" --template "$TPL" --out "$WORK/c2.pdf" \
    --profile "$WORK/no-such-profile" --json
envelope "certs refused" 2 "'certs'" "j['out'] is None and j['rendered'] == 0 and j['invalid'] == 1" \
    certs --roster "$WORK/bad.csv" --photos "$S/photos" --template "$TPL" --out "$WORK/c3.pdf" --json
check "refused certs wrote no PDF" test ! -e "$WORK/c3.pdf"

# calibrate
envelope "calibrate" 0 "'calibrate'" "j['out'].endswith('cal.pdf') and j['offset_x_mm'] == 0.5 and \
j['offset_y_mm'] == -1 and j['scale_x'] == 1" \
    calibrate --template "$TPL" --out "$WORK/cal.pdf" --offset 0.5,-1 --json
check "calibrate wrote its page" test -s "$WORK/cal.pdf"
envelope "calibrate, no such template" 3 "'calibrate'" "j['out'] is None and 'nope.xml' in j['error']" \
    calibrate --template "$WORK/nope.xml" --out "$WORK/cal2.pdf" --json

# template check
envelope "template check" 0 "'template'" "j['kind'] == 'certificate' and j['page_width_mm'] == 270 and \
j['page_height_mm'] == 190 and 'name' in j['fields'] and j['fonts'] == ['song'] and j['records'] == 36" \
    template check "$TPL" --json
envelope "template check, bad template" 2 "'template'" "j['error'] and j['page_width_mm'] is None" \
    template check "$SRC/tests/data/template/bad-font.xml" --json

# The run commands on a directory that is not a print run: exit 3, the
# error says which directory, and each command's own fields are there.
mkdir -p "$WORK/not-a-run"
envelope "status, not a run" 3 "'status'" "'not-a-run' in j['error'] and 'records' not in j" \
    status --json --run "$WORK/not-a-run"
envelope "reprint, not a run" 3 "'reprint'" "'not-a-run' in j['error'] and j['reprints'] == 0" \
    reprint --run "$WORK/not-a-run" --records 2 --json
envelope "void, not a run" 3 "'void'" "'not-a-run' in j['error'] and j['blank'] == 'A0000001' and \
j['reprint_line'] is None" \
    void --run "$WORK/not-a-run" --blank A0000001 --reason jam --json
envelope "report, not a run" 3 "'report'" "'not-a-run' in j['error'] and j['out'] is None" \
    report --run "$WORK/not-a-run" --out "$WORK/audit.pdf" --json
check "a failed report wrote no PDF" test ! -e "$WORK/audit.pdf"
envelope "print --resume, not a run" 3 "'print'" "j['error'] and j['printed'] == 0 and j['batches'] == []" \
    print --run "$WORK/not-a-run" --resume --no-prompt --json
envelope "print, a profile that does not exist" 3 "'print'" "'no-such-profile' in j['error']" \
    print --run "$WORK/run-p" --printer q --roster "$S/roster.csv" --template "$TPL" \
    --profile "$WORK/no-such-profile" --no-prompt --json

# demo: one envelope for all its jobs; a demo that cannot write stops at
# its first step and says which (the whole demo's envelope is checked by
# the install test, which runs it anyway).
touch "$WORK/a-file"
envelope "demo that cannot write" 3 "'demo'" "j['failed_step'] == 'sheets' and j['sheets']['rendered'] == 0 and \
j['certificates'] == [] and j['calibration'] == [] and j['error']" \
    demo --out "$WORK/a-file/demo" --json

done_testing
