#!/usr/bin/env python3
"""bench/hostile-inputs.py — hostile inputs against the gradprint tool, counted.

    python3 bench/hostile-inputs.py GRADPRINT [--keep DIR]

Builds each input from the bundled samples (rosters, templates, printer
profiles, --records values, photos), runs the command a user would run on
it, and sorts the outcome:

- refused cleanly: exit 1, 2 or 3, a message on stderr, no raw control
  character on stderr, nothing written where the output was to go;
- accepted wrongly: exit 0 for an input that must be refused (or a refusal
  of one that must pass: "wrongly refused");
- crashed: killed by a signal, a sanitizer report, or over the time limit.

Run it with the ASan+UBSan binary (build-asan/gradprint) to count memory
errors as crashes. Prints a table per class and the totals; exits 1 when
anything was accepted wrongly or crashed. Not a unit test: ctest runs the
specific refusals; this is the red team's sweep, rerun.
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

GP = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else sys.exit(__doc__)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SAMPLES = os.path.join(ROOT, "samples")
TEMPLATE = os.path.join(ROOT, "templates", "diploma-bachelor.xml")
WORK = tempfile.mkdtemp(prefix="gp-hostile-")
if "--keep" in sys.argv:
    WORK = sys.argv[sys.argv.index("--keep") + 1]
    os.makedirs(WORK, exist_ok=True)
TIMEOUT = 120
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")

with open(os.path.join(SAMPLES, "roster.csv"), encoding="utf-8-sig") as f:
    ROWS = list(csv.reader(f))
HEAD = ROWS[0]


def col(name):
    return HEAD.index(name)


def path(name):
    return os.path.join(WORK, name)


def write(name, data):
    p = path(name)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return p


def roster(name, rows, encoding="utf-8", bom=False):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    return write(name, (b"\xef\xbb\xbf" if bom else b"") + data)


def with_cell(row_index, column, value, rows=None):
    rows = [list(r) for r in (rows or ROWS[:4])]
    rows[row_index][col(column)] = value
    return rows


def xlsx(name, sheet_xml, shared=None, extra=None):
    p = path(name)
    ct = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'spreadsheetml.sheet.main+xml"/></Types>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
          '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    wbrels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
              'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
              + ('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
              + "</Relationships>")
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wbrels)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared:
            z.writestr("xl/sharedStrings.xml", shared)
        for k, v in (extra or {}).items():
            z.writestr(k, v)
    return p


def sheet_of(rows):
    def cell(c, r, v):
        ref = chr(ord("A") + c) + str(r)
        v = v.replace("&", "&amp;").replace("<", "&lt;")
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, v)
    body = "".join('<row r="%d">%s</row>' % (r + 1, "".join(cell(c, r + 1, v) for c, v in enumerate(row)))
                   for r, row in enumerate(rows))
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<sheetData>%s</sheetData></worksheet>" % body)


def template_with(old, new, name):
    text = open(TEMPLATE, encoding="utf-8").read()
    assert old in text, old
    return write(name, text.replace(old, new, 1))


CASES = []


def case(klass, name, args, must_pass=False, out=None):
    CASES.append((klass, name, args, must_pass, out))


def certs(roster_path, extra=(), template=TEMPLATE, photos=None):
    out = path("out-%d.pdf" % len(CASES))
    return (["certs", "--roster", roster_path, "--photos", photos or os.path.join(SAMPLES, "photos"),
             "--template", template, "--out", out] + list(extra), out)


def sheets(roster_path, extra=(), photos=None):
    out = path("sheets-%d" % len(CASES))
    return (["sheets", "--roster", roster_path, "--photos", photos or os.path.join(SAMPLES, "photos"),
             "--out", out, "--jobs", "1"] + list(extra), out)


def build_cases():
    ids = [r[col("身份证号")] for r in ROWS[1:4]]
    # ---- rosters ----
    R = "roster"
    for label, value in [
        ("a wrong check digit", ids[0][:-1] + ("0" if ids[0][-1] != "0" else "1")),
        ("17 digits", ids[0][:-1]),
        ("Excel's 5.00153E+17", "5.00153E+17"),
        ("a letter inside the ID number", ids[0][:5] + "A" + ids[0][6:]),
        ("a date that does not exist (Feb 30)", ids[0][:10] + "0230" + ids[0][14:]),
    ]:
        a, o = certs(roster("id-%d.csv" % len(CASES), with_cell(1, "身份证号", value)))
        case(R, "ID number: " + label, a, out=o)
    dup = [list(r) for r in ROWS[:4]]
    dup[2][col("身份证号")] = dup[1][col("身份证号")]
    a, o = certs(roster("dup.csv", dup))
    case(R, "duplicate ID number", a, out=o)
    for label, value in [
        ("100k-character name", "张" * 100000),
        ("1M-character name", "张" * 1000000),
        ("RTL override in a name", "魏\u202e雨玥"),
        ("emoji in a name", "魏雨玥\U0001F600"),
        ("invisible tag characters in a name", "魏雨玥\U000E0041\U000E0042"),
        ("ESC ] 0 ; BEL ESC [ 2 J in a name", "魏\x1b]0;pwned\x07\x1b[2J雨玥"),
        ("a newline in a name", "魏雨\n玥"),
        ("'?' for a character GBK lost", "魏?玥"),
        ("U+FFFD in a name", "魏\ufffd玥"),
        ("a private-use character", "魏\ue000玥"),
        ("an empty name", ""),
        ("zero-width space in a name", "魏\u200b雨玥"),
    ]:
        a, o = certs(roster("name-%d.csv" % len(CASES), with_cell(1, "姓名", value)))
        case(R, label, a, out=o)
    a, o = certs(write("nul.csv", open(os.path.join(SAMPLES, "roster.csv"), "rb").read()[:400] + b"\x00\x00" +
                       open(os.path.join(SAMPLES, "roster.csv"), "rb").read()[400:]))
    case(R, "NUL bytes in the CSV", a, out=o)
    bad_utf8 = ",".join(ROWS[1]).encode().replace("魏".encode(), b"\xff\xfe", 1)
    a, o = certs(write("badutf8.csv", b"\xef\xbb\xbf" + ",".join(HEAD).encode() + b"\r\n" + bad_utf8 + b"\r\n"))
    case(R, "invalid UTF-8 after a UTF-8 BOM", a, out=o)
    a, o = certs(roster("missing-col.csv", [[c for i, c in enumerate(r) if i != col("身份证号")] for r in ROWS[:4]]))
    case(R, "no ID number column", a, out=o)
    a, o = certs(roster("header-only.csv", ROWS[:1]))
    case(R, "a header and no records", a, out=o)
    a, o = certs(write("empty.csv", b""))
    case(R, "an empty file", a, out=o)
    a, o = certs(write("garbage.csv", bytes(range(256)) * 64))
    case(R, "binary garbage named .csv", a, out=o)
    os.makedirs(path("a-folder.csv"), exist_ok=True)
    a, o = certs(path("a-folder.csv"))
    case(R, "a folder as the roster", a, out=o)
    a, o = certs(path("no-such.csv"))
    case(R, "a roster that does not exist", a, out=o)
    a, o = certs(write("longline.csv", ",".join(HEAD) + "\r\n" + "x" * (20 * 1024 * 1024) + "\r\n"))
    case(R, "a 20 MB line", a, out=o)
    a, o = certs(write("manycols.csv", ",".join(HEAD + ["c%d" % i for i in range(20000)]) + "\r\n" +
                       ",".join(ROWS[1]) + "\r\n"))
    case(R, "20,000 columns", a, out=o)
    a, o = certs(roster("gbk.csv", ROWS[:4], encoding="gb18030"))
    case(R, "GB18030 roster (must pass)", a, must_pass=True, out=o)
    a, o = certs(roster("bom-crlf.csv", ROWS[:4], bom=True))
    case(R, "UTF-8 BOM + CRLF (must pass)", a, must_pass=True, out=o)
    a, o = certs(roster("lower-x.csv", ROWS[:1] + [r for r in ROWS[1:] if r[col("身份证号")].endswith("X")][:1]
                        if any(r[col("身份证号")].endswith("X") for r in ROWS[1:]) else ROWS[:2]))
    case(R, "an ID number ending in X (must pass)", a, must_pass=True, out=o)
    a, o = certs(xlsx("bomb.xlsx", sheet_of(ROWS[:1]) .replace("</sheetData>", '<row r="2">' + "<c/>" * 3000000 +
                                                               "</row></sheetData>")))
    case(R, "XLSX: 3M empty cells in a row (zip bomb)", a, out=o)
    a, o = certs(xlsx("doctype.xlsx", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + sheet_of(ROWS[:2])[21:]))
    case(R, "XLSX: DOCTYPE with entities", a, out=o)
    a, o = certs(xlsx("shared-oob.xlsx", sheet_of(ROWS[:1]).replace(
        "</sheetData>", '<row r="2"><c r="A2" t="s"><v>99999</v></c></row></sheetData>'),
        shared='<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<si><t>x</t></si></sst>'))
    case(R, "XLSX: shared-string index out of range", a, out=o)
    with zipfile.ZipFile(path("nowb.xlsx"), "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    a, o = certs(path("nowb.xlsx"))
    case(R, "XLSX without a workbook", a, out=o)
    a, o = certs(write("fake.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096)))
    case(R, "XLS: an OLE header over random bytes", a, out=o)
    with zipfile.ZipFile(path("fake.ods"), "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    a, o = certs(path("fake.ods"))
    case(R, "ODS with no table", a, out=o)
    a, o = certs(xlsx("good.xlsx", sheet_of(ROWS[:4])))
    case(R, "XLSX with inline strings (must pass)", a, must_pass=True, out=o)
    a, o = certs(roster("map.csv", [["行政班级名" if c == "班级" else c for c in ROWS[0]]] + ROWS[1:4]),
                 extra=["--map", "行政班级名=class"])
    case(R, "an unknown class column with --map (must pass)", a, must_pass=True, out=o)
    a, o = certs(roster("map-bad.csv", ROWS[:4]), extra=["--map", "班级=nonsense"])
    case(R, "--map to a key that does not exist", a, out=o)
    a, o = sheets(roster("sheets-dup.csv", dup), extra=["--skip-invalid"])
    case(R, "duplicate ID with --skip-invalid: both left out (passes, 1 sheet)", a, must_pass=True, out=o)
    # ---- templates ----
    T = "template"
    for label, old, new in [
        ("DOCTYPE with an external entity", '<?xml version="1.0" encoding="UTF-8"?>',
         '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        ("billion laughs", '<?xml version="1.0" encoding="UTF-8"?>',
         '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
         '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'),
    ]:
        a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]), template=template_with(old, new, "t-%d.xml" % len(CASES)))
        case(T, label, a, out=o)
    text = open(TEMPLATE, encoding="utf-8").read()
    page = re.search(r'<page [^>]*>', text).group(0)
    for label, new in [
        ("a page 1e9 mm wide", re.sub(r'width="[^"]*"', 'width="1000000000"', page, count=1)),
        ("a page of negative width", re.sub(r'width="[^"]*"', 'width="-270"', page, count=1)),
        ("a page width of NaN", re.sub(r'width="[^"]*"', 'width="nan"', page, count=1)),
        ("a page width of 1e400", re.sub(r'width="[^"]*"', 'width="1e400"', page, count=1)),
    ]:
        a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]), template=template_with(page, new, "t-%d.xml" % len(CASES)))
        case(T, label, a, out=o)
    m = re.search(r"\{name\}", text)
    if m:
        a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]),
                     template=template_with("{name}", "{nmae}", "t-%d.xml" % len(CASES)))
        case(T, "a misspelt field {nmae}", a, out=o)
    a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]), template=write("t-trunc.xml", text[: len(text) // 2]))
    case(T, "a template cut in half", a, out=o)
    a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]), template=write("t-empty.xml", b""))
    case(T, "an empty template", a, out=o)
    a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]),
                 template=write("t-deep.xml", text.replace("</template>", "<g>" * 20000 + "</g>" * 20000 +
                                                           "</template>")))
    case(T, "20,000 nested elements", a, out=o)
    a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]),
                 template=write("t-latin1.xml", text.encode("utf-8").replace(b"\xe6", b"\xff")))
    case(T, "bytes that are not UTF-8", a, out=o)
    a, o = certs(roster("t-%d.csv" % len(CASES), ROWS[:3]), template=write("t-png.xml", b"\x89PNG\r\n\x1a\n" + os.urandom(64)))
    case(T, "a PNG named .xml", a, out=o)
    # ---- printer profiles ----
    P = "profile"
    for label, body in [
        ("offset 1e308", "offset-x = 1e308\n"),
        ("offset NaN", "offset-x = nan\n"),
        ("scale 0", "scale-x = 0\n"),
        ("scale -1", "scale-y = -1\n"),
        ("an unknown key", "offsett-x = 1\n"),
        ("binary bytes", os.urandom(256)),
        ("feed sideways", "feed = left\n"),
        ("a 5 MB line", "printer = " + "x" * 5000000 + "\n"),
    ]:
        prof = write("p-%d.conf" % len(CASES), body)
        a, o = certs(roster("p-%d.csv" % len(CASES), ROWS[:3]), extra=["--profile", prof])
        case(P, label, a, out=o)
    # ---- --records ----
    C = "records"
    for label, value, ok in [("0", "0", False), ("-5", "-5", False), ("1-", "1-", False),
                             ("a 30-digit number", "9" * 30, False), ("letters", "a,b", False),
                             ("a backward range 5-3", "5-3", False), ("a row past the end", "9999", False),
                             ("full-width commas 2，3 (must pass)", "2，3", True), ("an empty value", "", False)]:
        a, o = certs(os.path.join(SAMPLES, "roster.csv"), extra=["--records", value])
        case(C, label, a, must_pass=ok, out=o)
    # ---- photos ----
    H = "photo"
    photos = path("photos")
    shutil.copytree(os.path.join(SAMPLES, "photos"), photos, dirs_exist_ok=True)
    victim = os.path.join(photos, ids[0] + ".jpg")
    good = open(victim, "rb").read()
    for label, data in [
        ("a PNG named .jpg", b"\x89PNG\r\n\x1a\n" + good[8:]),
        ("a truncated JPEG", good[: len(good) // 3]),
        ("an empty .jpg", b""),
        ("a 65535x65535 JPEG header (decompression bomb)",
         good.replace(b"\xff\xc0\x00\x11\x08\x02\x80\x01\xe0", b"\xff\xc0\x00\x11\x08\xff\xff\xff\xff", 1)),
        ("random bytes after SOI", b"\xff\xd8" + os.urandom(30000)),
    ]:
        d = path("photos-%d" % len(CASES))
        shutil.copytree(photos, d)
        open(os.path.join(d, ids[0] + ".jpg"), "wb").write(data)
        a, o = certs(roster("h-%d.csv" % len(CASES), ROWS[:3]), photos=d)
        case(H, label, a, out=o)
    d = path("photos-link")
    shutil.copytree(photos, d)
    os.remove(os.path.join(d, ids[0] + ".jpg"))
    os.makedirs(path("elsewhere"), exist_ok=True)
    shutil.copy(victim, path("elsewhere/x.jpg"))
    os.symlink(path("elsewhere/x.jpg"), os.path.join(d, ids[0] + ".jpg"))
    a, o = certs(roster("h-link.csv", ROWS[:3]), photos=d)
    case(H, "a symlink out of the photo folder", a, out=o)
    d = path("photos-missing")
    shutil.copytree(photos, d)
    os.remove(os.path.join(d, ids[0] + ".jpg"))
    a, o = certs(roster("h-missing.csv", ROWS[:3]), photos=d)
    case(H, "a missing photo", a, out=o)


def run(args):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    # The slow unwinder lets .ci/lsan.supp see past fontconfig and cairo
    # frames (their own leaks at exit), as in CI.
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:fast_unwind_on_malloc=0")
    supp = os.path.join(ROOT, ".ci", "lsan.supp")
    env.setdefault("LSAN_OPTIONS", "suppressions=%s:print_suppressions=0" % supp)
    try:
        p = subprocess.run([GP] + args, capture_output=True, timeout=TIMEOUT, env=env)
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, b""


def main():
    build_cases()
    counts = {}
    bad = []
    print("| class | input | exit | outcome |")
    print("|---|---|---|---|")
    for klass, name, args, must_pass, out in CASES:
        code, err = run(args)
        sanitizer = b"Sanitizer" in err or b"runtime error:" in err
        if code is None or code < 0 or code >= 128 or sanitizer:
            outcome = "crashed" if code is not None else "hung"
        elif must_pass:
            outcome = "passed" if code == 0 else "wrongly refused"
        elif code == 0:
            outcome = "accepted wrongly"
        elif code in (1, 2, 3) and err.strip() and not RAW_CONTROL.search(err) and not (out and os.path.exists(out)):
            outcome = "refused cleanly"
        else:
            outcome = "refused, but untidily"
        counts.setdefault(klass, {}).setdefault(outcome, 0)
        counts[klass][outcome] += 1
        if outcome not in ("passed", "refused cleanly"):
            bad.append((klass, name, code, err.decode("utf-8", "replace")[-600:]))
        print("| %s | %s | %s | %s |" % (klass, name, code, outcome))
    print()
    print("| class | inputs | refused cleanly | passed (must pass) | accepted wrongly | wrongly refused | untidy | crashed/hung |")
    print("|---|---|---|---|---|---|---|---|")
    total = {}
    for klass, c in counts.items():
        row = [c.get(k, 0) for k in ("refused cleanly", "passed", "accepted wrongly", "wrongly refused",
                                     "refused, but untidily")] + [c.get("crashed", 0) + c.get("hung", 0)]
        for i, v in enumerate(row):
            total[i] = total.get(i, 0) + v
        print("| %s | %d | %s |" % (klass, sum(c.values()), " | ".join(map(str, row))))
    print("| all | %d | %s |" % (len(CASES), " | ".join(str(total[i]) for i in range(6))))
    for klass, name, code, err in bad:
        print("\n%s / %s: exit %s\n%s" % (klass, name, code, err), file=sys.stderr)
    if "--keep" not in sys.argv:
        shutil.rmtree(WORK, ignore_errors=True)
    failed = ("accepted wrongly", "wrongly refused", "crashed", "hung")
    return 1 if any(c.get(k, 0) for c in counts.values() for k in failed) else 0

if __name__ == "__main__":
    sys.exit(main())
