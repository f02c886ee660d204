# Interrupted runs leave nothing behind: SIGINT and SIGTERM in the middle of
# `sheets` and `certs --png` remove the hidden staging before the process
# dies of the signal; after a SIGKILL, which nothing can catch, the next run
# removes what was left and says so. Real signals to the real binary.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S=$(synth 80)
SMALL=$(synth 3)

# staging_of OUT: the hidden staging entries beside OUT.
staging_of() {
    local dir base
    dir=$(dirname "$1") base=$(basename "$1")
    find "$dir" -maxdepth 1 \( -name ".$base.partial-*" -o -name ".$base.tmp-*" \) 2>/dev/null
}

# wait_for_files PID DIR: until DIR's staging holds a file matching GLOB
# (the run is under way), at most 120 s.
wait_for_staging() {
    local pid=$1 out=$2 pattern=$3 i
    for ((i = 0; i < 1200; i++)); do
        if [[ -n $(staging_of "$out") ]] && find $(staging_of "$out") -name "$pattern" 2>/dev/null | grep -q .; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# A script's background jobs ignore SIGINT; a terminal's foreground job,
# which this stands for, does not.
start_sheets() { # OUT; sets PID
    env --default-signal=INT,TERM,HUP "$GP" sheets --roster "$S/roster.csv" --photos "$S/photos" --out "$1" --jobs 1 --format both \
        >"$WORK/stdout" 2>"$WORK/stderr" &
    PID=$!
}

start_certs() { # OUT.pdf PNGDIR; sets PID
    env --default-signal=INT,TERM,HUP "$GP" certs --roster "$S/roster.csv" --photos "$S/photos" \
        --template "$SRC/templates/diploma-bachelor.xml" --records 2-31 --out "$1" --png "$2" --proof \
        >"$WORK/stdout" 2>"$WORK/stderr" &
    PID=$!
}

for sig in INT TERM; do
    out=$WORK/sheets-$sig
    start_sheets "$out"
pid=$PID
    require "sheets ($sig) gets under way and stages sheets" wait_for_staging "$pid" "$out" '*.jpg'
    # No core dump may hold the roster and photos: the limit is 0 in the process.
    check "RLIMIT_CORE is 0 in the running process" grep -Eq '^Max core file size +0 +0 ' "/proc/$pid/limits"
    kill -s "$sig" "$pid"
    wait "$pid"
    status=$?
    want=$((128 + $(kill -l "$sig")))
    check "sheets dies of SIG$sig (status $status, want $want)" test "$status" -eq "$want"
    check "SIG$sig: no staging left beside the output" test -z "$(staging_of "$out")"
    check "SIG$sig: no output directory" test ! -e "$out"
    check "SIG$sig: says the unfinished output was removed" contains "$WORK/stderr" "the unfinished output was removed"
done

# certs --png: the PDF is staged until its previews are done.
pdf=$WORK/certs-int.pdf png=$WORK/certs-int-png
start_certs "$pdf" "$png"
pid=$PID
require "certs --png gets to its previews" wait_for_staging "$pid" "$png" '*.png'
kill -s INT "$pid"
wait "$pid"
check "certs dies of SIGINT" test $? -eq 130
check "certs SIGINT: no PDF" test ! -e "$pdf"
check "certs SIGINT: no PNG directory" test ! -e "$png"
check "certs SIGINT: no staging beside the PDF or the PNGs" test -z "$(staging_of "$pdf")$(staging_of "$png")"

# SIGKILL: staging stays (nothing can run), and the next run removes it.
out=$WORK/sheets-KILL
start_sheets "$out"
pid=$PID
require "sheets (KILL) gets under way" wait_for_staging "$pid" "$out" '*.jpg'
kill -s KILL "$pid"
wait "$pid"
left=$(staging_of "$out")
require "SIGKILL leaves staging behind (what the next run must clean)" test -n "$left"
"$GP" sheets --roster "$SMALL/roster.csv" --photos "$SMALL/photos" --out "$out" >"$WORK/stdout" 2>"$WORK/stderr"
check "the next sheets run succeeds" test $? -eq 0
check "the next run removed the stale staging" test -z "$(staging_of "$out")"
check "the next run says so" contains "$WORK/stderr" "killed before it finished"
check "the next run names what it removed" contains "$WORK/stderr" "$(basename "$left")"
check "the next run wrote its output" test -f "$out/manifest.csv"

# certs --png killed in its previews: no PDF without its PNGs, and the next
# run (with --json) reports the removal as a stale-staging finding.
pdf=$WORK/certs-kill.pdf png=$WORK/certs-kill-png
start_certs "$pdf" "$png"
pid=$PID
require "certs --png (KILL) gets to its previews" wait_for_staging "$pid" "$png" '*.png'
kill -s KILL "$pid"
wait "$pid"
check "certs SIGKILL during the previews: no PDF without its PNGs" test ! -e "$pdf"
require "certs SIGKILL leaves staging" test -n "$(staging_of "$pdf")$(staging_of "$png")"
"$GP" certs --roster "$S/roster.csv" --photos "$S/photos" --template "$SRC/templates/diploma-bachelor.xml" \
    --out "$pdf" --png "$png" --records 2-4 --json >"$WORK/certs.json" 2>"$WORK/stderr"
check "the next certs run succeeds" test $? -eq 0
check "the next certs run removed both stagings" test -z "$(staging_of "$pdf")$(staging_of "$png")"
check "the next certs run reports stale-staging findings" \
    json_true 'sum(f["code"] == "stale-staging" for f in j["findings"]) == 2' <"$WORK/certs.json"
check "PDF and PNGs are there" test -f "$pdf" -a "$(find "$png" -name '*.png' | wc -l)" -eq 3

# A live run's staging is not another run's to remove, and an interrupted
# run removes only its own: a second run finishes into the same output
# while the first is staging; the first, interrupted, leaves it alone.
out=$WORK/sheets-live
start_sheets "$out"
pid=$PID
require "first run under way" wait_for_staging "$pid" "$out" '*.jpg'
live=$(staging_of "$out")
"$GP" sheets --roster "$SMALL/roster.csv" --photos "$SMALL/photos" --out "$out" >"$WORK/second" 2>&1
check "a second run on the same output finishes" test $? -eq 0
check "a live run's staging survives another run's start" test -d "$live"
check "the second run did not call it stale" lacks "$WORK/second" "killed before it finished"
kill -s TERM "$pid"
wait "$pid"
check "the interrupted first run removed its own staging" test ! -e "$live"
check "and left the second run's output alone" test -f "$out/manifest.csv"

# photos check stops between photos: the signal only asks, the job ends at
# the next photo with nothing written, and the command says so and exits
# 130 like the commands that die of the signal.
catches_sigint() { # PID: its handler for SIGINT is in place (SigCgt bit 2)
    local mask
    mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null) || return 1
    [[ -n $mask ]] && (((16#$mask >> 1) & 1))
}
P=$(synth 300)
report=$WORK/photos-report
env --default-signal=INT,TERM,HUP "$GP" photos check "$P/photos" --roster "$P/roster.csv" --report "$report" --jobs 1 \
    >"$WORK/stdout" 2>"$WORK/stderr" &
pid=$!
for ((i = 0; i < 600; i++)); do
    catches_sigint "$pid" && break
    sleep 0.01
done
require "photos check takes SIGINT as a request to stop" catches_sigint "$pid"
kill -s INT "$pid"
wait "$pid"
status=$?
check "photos check interrupted exits 130 (status $status)" test "$status" -eq 130
check "photos check interrupted says nothing half-written was left" contains "$WORK/stderr" "nothing half-written was left behind"
check "photos check interrupted ends its message with a line end" test "$(tail -c 1 "$WORK/stderr" | od -An -c | tr -d ' ')" = '\n'
check "photos check interrupted writes no report" test ! -e "$report"
check "photos check interrupted leaves no staging beside the report" test -z "$(staging_of "$report")"

done_testing
