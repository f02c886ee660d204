# gradprint template check: schema, fields, fonts and fit against real
# records; exit 2 on any error. The template messages name the attribute,
# the line and the allowed values, suggest the nearest name, and are in
# Chinese under LANGUAGE=zh_CN (no libxml2 English leaks through).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

zh() { LANGUAGE=zh_CN LANG=C.UTF-8 "$@"; }

# The bundled templates that are meant to be used as they are.
for t in diploma-bachelor degree-bachelor photo-sheet-7in photo-sheet-7in-large; do
    "$GP" template check "$t" >"$WORK/out" 2>"$WORK/err"
    check "template check $t passes" test $? -eq 0
    check "$t: says so" contains "$WORK/out" "no problems found"
    check "$t: laid out for the 36 sample records" contains "$WORK/out" "all 36 records"
done
"$GP" template check diploma-bachelor >"$WORK/out"
check "lists the fields" grep -q '^  fields   .*name, gender, birth_date' "$WORK/out"
check "lists the fonts" grep -q '^  fonts    song$' "$WORK/out"

# A box too small for the records: one error at the first record it fails
# on, and a warning with how many fail.
cat >"$WORK/small.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<template name="small" kind="certificate">
  <page width="200" height="100"/>
  <text x="10" y="10" width="12" height="8" font="song" size="12">{name}</text>
  <text x="10" y="30" width="80" height="8" font="song" size="12">{student_no}</text>
</template>
XML
"$GP" template check "$WORK/small.xml" >"$WORK/out" 2>"$WORK/err"
check "a box too small: exit 2" test $? -eq 2
check "a box too small: text-overflow for a record" grep -q 'samples/roster.csv:[0-9]*: \[[0-9]*\] name .*small.xml line 4.*(text-overflow)' "$WORK/err"
check "a box too small: once, not per record" test "$(grep -c text-overflow "$WORK/err")" -eq 1
check "a box too small: how many records fail" grep -q 'small.xml:4: [0-9]* of the 36 records fail' "$WORK/err"
check "the box that fits is not reported" lacks "$WORK/err" "student_no"

# --roster: the school's own records.
printf '学号,姓名\n1,欧阳诸葛司马慕容\n' >"$WORK/long.csv"
"$GP" template check "$SRC/templates/photo-sheet-7in.xml" --roster "$WORK/long.csv" >"$WORK/out" 2>"$WORK/err"
check "--roster: a name too long for the box fails" test $? -eq 2
check "--roster: the finding names the roster line" contains "$WORK/err" "long.csv:2: [1]"

# Fonts: a data directory whose kai family has lost its fonts.
data=$WORK/data
mkdir -p "$data"
cp -r "$SRC/templates" "$data/"
mkdir "$data/fonts"
sed -e 's/<family>LXGW WenKai</<family>No Such Kai Font</' -e 's/<family>AR PL UKai CN</<family>No Such Kai Font Either</' \
    "$SRC/fonts/gradprint-fonts.conf" >"$data/fonts/gradprint-fonts.conf"
sed 's/font="song"/font="kai"/' "$WORK/small.xml" | sed 's/width="12"/width="80"/' >"$WORK/kai.xml"
GRADPRINT_DATADIR=$data "$GP" template check "$WORK/kai.xml" --roster "$SRC/samples/roster.csv" >"$WORK/out" 2>"$WORK/err"
check "a missing font: exit 2" test $? -eq 2
check "a missing font: names the family, the font and the package" \
    grep -q 'kai.xml:4: the kai font family needs the font "LXGW WenKai".*fonts-lxgw-wenkai (font-missing)' "$WORK/err"

# Schema and field messages: the attribute, the line, the allowed values,
# the nearest name; in English and Chinese, never libxml2's words.
tpl() { # NAME BODY: a template with one line of body at line 4
    printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<template name="t" kind="certificate">' \
        '  <page width="200" height="100"/>' "  $2" '</template>' >"$WORK/$1.xml"
}
tpl fontsize '<text x="10" y="10" width="80" height="8" font="song" fontsize="12">{name}</text>'
tpl simsun '<text x="10" y="10" width="80" height="8" font="SimSun" size="12">{name}</text>'
tpl nmae '<text x="10" y="10" width="80" height="8" font="song" size="12">{nmae}</text>'
tpl txt '<txt x="10" y="10" width="80" height="8" font="song" size="12">{name}</txt>'
tpl centre '<text x="10" y="10" width="80" height="8" font="song" size="12" align="centre">{name}</text>'
expect() { # NAME EN ZH
    "$GP" template check "$WORK/$1.xml" >/dev/null 2>"$WORK/err"
    check "$1: exit 2" test $? -eq 2
    check "$1: English message at line 4: $2" grep -q -F -- "$1.xml:4: $2" "$WORK/err"
    zh "$GP" template check "$WORK/$1.xml" >/dev/null 2>"$WORK/err-zh"
    check "$1: Chinese message: $3" grep -q -F -- "$1.xml:4: $3" "$WORK/err-zh"
    check "$1: no libxml2 English under zh_CN" lacks_re "$WORK/err-zh" 'failed to validate|Did not expect|Expecting|Element '
    check "$1: no English under zh_CN at all" lacks_re "$WORK/err-zh" ' (is|has|not|the) ' 
}
expect fontsize '<text> has no attribute fontsize (did you mean size?)' '<text> 没有属性 fontsize（是不是 size？）'
expect simsun '<text font="SimSun">: templates name a font family' '<text font="SimSun">：模板写的是字体族'
expect nmae '<text>: unknown field {nmae} (did you mean {name}?)' '<text>：未知字段 {nmae}（是不是 {name}？）'
expect txt '<txt> is not a template element (did you mean <text>?)' '<txt> 不是模板元素（是不是 <text>？）'
expect centre '<text align="centre">: not an allowed value (did you mean center?); write one of left|center|right' \
    '<text align="centre">：不是允许的值（是不是 center？）'

# JSON and exit statuses.
"$GP" template check "$WORK/fontsize.xml" --json >"$WORK/json"
check "--json: the error names the attribute" json_true "'fontsize' in j['error'] and j['exit'] == 2" <"$WORK/json"
"$GP" template check "$WORK/no-such.xml" 2>"$WORK/err"
check "a template that cannot be read: exit 3" test $? -eq 3
"$GP" template 2>/dev/null
check "template without a subcommand: exit 1" test $? -eq 1
"$GP" template lint x.xml 2>"$WORK/err"
check "an unknown subcommand: exit 1" test $? -eq 1
check "an unknown subcommand: names the one there is" contains "$WORK/err" "check"

# A roster whose name column has the school's own header: the template
# cannot be laid out for it until --map (read the same way as by certs and
# print) names the column.
sed '1s/姓名/学生姓名甲/' "$SRC/samples/roster.csv" >"$WORK/own-header.csv"
"$GP" template check diploma-bachelor --roster "$WORK/own-header.csv" >"$WORK/out" 2>"$WORK/err"
check "template check: a roster without the name column fails" test $? -eq 2
"$GP" template check diploma-bachelor --roster "$WORK/own-header.csv" --map 学生姓名甲=name >"$WORK/out" 2>"$WORK/err"
check "template check --map names the column" test $? -eq 0
check "template check --map: laid out for all records" contains "$WORK/out" "all 36 records"

done_testing
