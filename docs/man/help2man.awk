# help2man.awk: one gradprint --help text (stdin) as a man page (roff).
# The --help texts follow one shape, which this relies on:
#   - the first paragraph is the usage (SYNOPSIS);
#   - "  NAME   text" lines (two spaces, a gap of two or more) are items of a
#     list: options, commands, environment variables, output files;
#   - lines indented four or more spaces that do not continue an item are an
#     example, kept as typed;
#   - a line ending in a colon before list items heads them;
#   - everything else is running text.
# Variables: name (gradprint-sheets), summary (one line, for NAME),
# version, and the section titles in the page's language: t_name,
# t_synopsis, t_description, t_options, t_exit, t_see_also, see_also.

function esc(s) {
    gsub(/\\/, "\\e", s)
    return s
}
function line_out(s, next_line) {
    s = esc(s)
    if (s ~ /^[.']/)
        s = "\\&" s
    # Chinese text has no space where a line was wrapped: \c joins the
    # next line on without one.
    sub(/^ +/, "", next_line)
    if (s ~ /[\200-\377]$/ && next_line ~ /^[\200-\377]/)
        s = s "\\c"
    print s
}
function tag(s) {
    s = esc(s)
    gsub(/-/, "\\-", s)
    return s
}
function flush(    i, n, l, first, m, item, rest) {
    if (count == 0)
        return
    if (para == 0) {
        print ".SH " t_synopsis
        print ".nf"
        for (i = 1; i <= count; i++) {
            l = lines[i]
            if (i == 1 && index(l, "gradprint") > 0)
                l = substr(l, index(l, "gradprint"))
            sub(/^ +/, "", l)
            line_out(l)
        }
        print ".fi"
        print ".SH " t_description
    } else {
        first = lines[1]
        if (first ~ /^(Exit status|退出状态)/ && !exit_done) {
            print ".SH " t_exit
            exit_done = 1
        } else if (first ~ /^  +-/ && !options_done) {
            print ".SH " t_options
            options_done = 1
        }
        item = 0
        for (i = 1; i <= count; i++) {
            l = lines[i]
            if (l ~ /^  [^ ]/) {
                # an item: its name up to the first gap of two spaces, then its text
                m = substr(l, 3)
                rest = ""
                if (match(m, /   */)) {
                    rest = substr(m, RSTART + RLENGTH)
                    m = substr(m, 1, RSTART - 1)
                }
                print ".TP"
                print "\\fB" tag(m) "\\fR"
                if (rest != "")
                    line_out(rest, i < count && lines[i + 1] ~ /^    / ? lines[i + 1] : "")
                item = 1
            } else if (l ~ /^    / && item) {
                sub(/^ +/, "", l)
                line_out(l, i < count && lines[i + 1] ~ /^    / ? lines[i + 1] : "")
            } else if (l ~ /^    /) {
                print ".PP"
                print ".RS"
                print ".nf"
                for (; i <= count && lines[i] ~ /^    /; i++) {
                    l = lines[i]
                    sub(/^    /, "", l)
                    line_out(l)
                }
                print ".fi"
                print ".RE"
                i--
            } else if (l ~ /(:|：)$/ && length(l) <= 24 && i < count && lines[i + 1] ~ /^  [^ ]/) {
                sub(/(:|：)$/, "", l)
                print ".SS " esc(l)
                item = 0
            } else {
                if (item || i == 1)
                    print ".PP"
                item = 0
                line_out(l, i < count && lines[i + 1] !~ /^  / ? lines[i + 1] : "")
            }
        }
    }
    para++
    count = 0
}
BEGIN {
    upper = toupper(name)
    gsub(/-/, "\\-", upper)
    printf(".TH \"%s\" \"1\" \"\" \"gradprint %s\" \"gradprint\"\n", upper, version)
    print ".nh"
    print ".ad l"
    print ".SH " t_name
    n = name
    gsub(/-/, "\\-", n)
    print n " \\- " esc(summary)
    para = 0
    count = 0
}
/^[ \t]*$/ { flush(); next }
{ lines[++count] = $0 }
END {
    flush()
    if (see_also != "") {
        print ".SH " t_see_also
        print see_also
    }
}
