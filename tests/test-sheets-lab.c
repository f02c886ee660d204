/* Photo-lab orders, read back: the profiles (built-in and broken ones),
 * back-print fitting, and whole orders for each built-in lab on the bundled
 * samples: the order folder's ASCII names, the sheets' pixels at the lab's
 * dpi and paper (computed here), the DPOF file through the test's own
 * DPOF 1.10 reader, the manifest's map from the order's names to classes
 * and students, the packing lists (poppler) and the hot-folder hand-over
 * (p<order> while writing, o<order> when whole, nothing after a failure). */
#include <dirent.h>
#include <regex.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "dpof-parse.h"
#include "gp-test-pdf.h"
#include "gp-test.h"
#include "gradprint.h"
#include "jobs/sheets-lab-private.h"
#include "sheets-fixture.h"

static gp_context *ctx;

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- profiles */

static void expect_profile_error(const char *text, long line, const char *needle)
{
    gp_lab_profile lab;
    gp_error *err = NULL;
    gp_status st = gp_lab_profile_parse(text, strlen(text), "test.conf", &lab, &err);
    CHECK(st == GP_E_INVALID, "refused: %s", needle);
    CHECK(err != NULL && gp_error_line(err) == line && strstr(gp_error_message(err), needle) != NULL,
          "message for '%s' at line %ld: %s", needle, line, err ? gp_error_message(err) : "(none)");
    CHECK(err != NULL && strstr(gp_error_message(err), "test.conf") != NULL, "message names the file");
    gp_error_free(err);
}

static void check_profiles(void)
{
    gp_lab_profile lab;
    gp_error *err = NULL;
    REQUIRE(gp_lab_profile_load(ctx, "noritsu", &lab, &err) == GP_OK, "noritsu: %s", err ? gp_error_message(err) : "");
    CHECK(lab.dpi == 320 && lab.dpof && lab.back_print == GP_BACK_PRINT_DPOF && lab.back_lines == 2 &&
              lab.back_width == 40 && strcmp(lab.vendor, "NORITSU KOKI") == 0 && strcmp(lab.vendor_attr, "QSSPrint") == 0,
          "noritsu settings");
    CHECK(lab.npapers == 2 && lab.papers[0].inches && lab.papers[0].w_in == 5 && lab.papers[0].h_in == 7, "5x7in");
    REQUIRE(gp_lab_profile_load(ctx, "frontier", &lab, &err) == GP_OK, "frontier");
    CHECK(lab.dpi == 300 && !lab.dpof && lab.back_print == GP_BACK_PRINT_FILENAME && lab.back_width == 8, "frontier");
    REQUIRE(gp_lab_profile_load(ctx, "generic", &lab, &err) == GP_OK, "generic");
    CHECK(lab.dpi == 300 && lab.dpof && lab.back_print == GP_BACK_PRINT_NONE && lab.vendor[0] == '\0', "generic");
    CHECK(strcmp(lab.staging_prefix, "p") == 0 && strcmp(lab.ready_prefix, "o") == 0, "p -> o");
    CHECK(gp_lab_profile_load(ctx, "kodak", &lab, &err) == GP_E_USAGE && strstr(gp_error_message(err), "frontier"),
          "unknown lab names the known ones");
    gp_error_free(err);
    err = NULL;

    const char *ok = "# a lab\nname = mylab\r\ndpi = 254\npaper = 127x178mm  # 5R\npaper = 6 x 8 in\n";
    CHECK(gp_lab_profile_parse(ok, strlen(ok), "ok.conf", &lab, &err) == GP_OK, "comments, CR LF, spaces");
    CHECK(lab.dpi == 254 && lab.npapers == 2 && !lab.papers[0].inches && lab.papers[0].h_mm == 178 &&
              lab.papers[1].inches && lab.papers[1].h_in == 8,
          "papers in mm and in");
    expect_profile_error("name = x\ndpi = 300\npaper = 5x7in\ncolour = yes\n", 4, "colour");
    expect_profile_error("name = x\ndpi = 3000\npaper = 5x7in\n", 2, "3000");
    expect_profile_error("name = x\ndpi = 300\n", 0, "paper");
    expect_profile_error("dpi = 300\npaper = 5x7in\n", 0, "name");
    expect_profile_error("name = x\ndpi = 300\ndpi = 320\npaper = 5x7in\n", 3, "twice");
    expect_profile_error("name = x\ndpi = 300\npaper = 5x7cm\n", 3, "5x7cm");
    expect_profile_error("name = x\ndpi = 300\npaper = 5x7in\nback-print = dpof\n", 0, "dpof-vendor");
    expect_profile_error("name = x\ndpi = 300\npaper = 5x7in\nback-print = filename\nback-print-width = 6\n", 0,
                         "back-print-width");
    expect_profile_error("name = x\ndpi = 300\npaper = 5x7in\nstaging-prefix = o\n", 0, "differ");
    expect_profile_error("name = x\ndpi = 300\npaper\n", 3, "key = value");
    expect_profile_error("name = x y\ndpi = 300\npaper = 5x7in\n", 1, "x y");
    expect_profile_error("name = x\ndpi = 300\npaper = 5x7in\ndpof-vendor = A\"B\n", 4, "dpof-vendor");
    {
        const char nul[] = "name = x\ndpi = 300\0\npaper = 5x7in\n";
        gp_error *e = NULL;
        CHECK(gp_lab_profile_parse(nul, sizeof nul - 1, "nul.conf", &lab, &e) == GP_E_INVALID && gp_error_line(e) == 2,
              "a NUL byte refused at its line");
        gp_error_free(e);
    }
}

static void check_back_print(void)
{
    gp_lab_profile lab;
    REQUIRE(gp_lab_profile_load(ctx, "noritsu", &lab, NULL) == GP_OK, "noritsu");
    char lines[GP_LAB_MAX_BACK_LINES][GP_LAB_MAX_BACK_WIDTH + 1];
    CHECK(gp_lab_back_print_lines(&lab, "C001", "2021011101", 3, 35, "2506201530", lines) == 2, "two lines");
    CHECK_STR(lines[0], "C001 2021011101");
    CHECK_STR(lines[1], "0003/0035 2506201530");
    lab.back_width = 12;
    gp_lab_back_print_lines(&lab, "C001", "2021011101", 3, 35, "2506201530", lines);
    CHECK_STR(lines[0], "C001 1011101"); /* the student number keeps its last digits */
    CHECK(strlen(lines[1]) <= 12, "second line fitted: %s", lines[1]);
    lab.back_lines = 1;
    CHECK(gp_lab_back_print_lines(&lab, "C002", "学2021\"01", 1, 1, "X", lines) == 1, "one line");
    CHECK_STR(lines[0], "C002 202101"); /* only what any back printer has, no quote */
    gp_lab_back_print_lines(&lab, "C003", NULL, 0, 9, "X", lines);
    CHECK_STR(lines[0], "C003 DIVIDER");
}

/* ---- whole orders */

typedef struct progress_probe {
    const char *staging, *ready;
    bool saw_staging_only;
} progress_probe;

static void probe(void *user, gp_phase phase, size_t done, size_t total)
{
    progress_probe *p = user;
    (void)total;
    if (phase == GP_PHASE_RENDER && done > 0 && exists(p->staging) && !exists(p->ready))
        p->saw_staging_only = true;
}

static gp_status run_lab(const char *out, const char *lab, const char *order_id, const char *hot, int dpi,
                         const char *template_name, progress_probe *pp, gp_sheets_result **res)
{
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = GP_SOURCE_DIR "/samples/roster.csv";
    o.photos_dir = GP_SOURCE_DIR "/samples/photos";
    o.out_dir = out;
    o.lab = lab;
    o.order_id = order_id;
    o.hot_folder = hot;
    o.dpi = dpi;
    o.template_path = template_name;
    if (pp != NULL) {
        o.progress = probe;
        o.progress_user = pp;
    }
    gp_error *err = NULL;
    gp_status st = gp_sheets_run(ctx, &o, res, &err);
    if (st != GP_OK)
        fprintf(stderr, "(lab run: %s)\n", err ? gp_error_message(err) : "?");
    gp_error_free(err);
    return st;
}

/* The manifest's rows, as cells. */
typedef struct manifest {
    char *data;
    char *rows[64][12];
    int nrows, ncols;
} manifest;

static void read_manifest(const char *out, manifest *m)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/manifest.csv", out);
    size_t size;
    m->data = (char *)gp_pdf_slurp(path, &size);
    REQUIRE(m->data != NULL && memcmp(m->data, "\xEF\xBB\xBF", 3) == 0, "manifest with BOM");
    m->nrows = 0;
    char *save = NULL;
    for (char *line = strtok_r(m->data + 3, "\r\n", &save); line && m->nrows < 64; line = strtok_r(NULL, "\r\n", &save)) {
        int c = 0;
        for (char *cell = line; cell && c < 12; c++) {
            char *comma = strchr(cell, ',');
            if (comma)
                *comma = '\0';
            m->rows[m->nrows][c] = cell;
            cell = comma ? comma + 1 : NULL;
        }
        m->ncols = c;
        m->nrows++;
    }
}

static int column(const manifest *m, const char *name)
{
    for (int c = 0; c < m->ncols; c++)
        if (strcmp(m->rows[0][c], name) == 0)
            return c;
    return -1;
}

static void check_jpeg(const char *path, int w, int h, int dpi)
{
    size_t size = 0;
    unsigned char *jpeg = gp_pdf_slurp(path, &size);
    tjhandle tj = tjInitDecompress();
    int jw = 0, jh = 0, ss = -1, cs;
    CHECK(jpeg && tjDecompressHeader3(tj, jpeg, (unsigned long)size, &jw, &jh, &ss, &cs) == 0, "%s: a JPEG", path);
    CHECK(jw == w && jh == h && ss == TJSAMP_444, "%s: %dx%d 4:4:4 (%d), expected %dx%d", path, jw, jh, ss, w, h);
    unsigned char *rgb = malloc((size_t)(jw > 0 ? jw : 1) * (size_t)(jh > 0 ? jh : 1) * 3);
    CHECK(jpeg && tjDecompress2(tj, jpeg, (unsigned long)size, rgb, jw, 0, jh, TJPF_RGB, TJFLAG_STOPONWARNING) == 0,
          "%s: decodes strictly", path);
    int units = 0, x = 0, y = 0;
    CHECK(fixture_jfif_density(path, &units, &x, &y) && units == 1 && x == dpi && y == dpi, "%s: %d dpi", path, dpi);
    free(rgb);
    free(jpeg);
    tjDestroy(tj);
}

/* Lists the order folder: class folders C001.., their files, and MISC. */
static int check_order_tree(const char *order, bool dpof, int *classes)
{
    regex_t dir_re, file_re;
    regcomp(&dir_re, "^C[0-9]{3}$", REG_EXTENDED | REG_NOSUB);
    regcomp(&file_re, "^[0-9]{8}\\.JPG$", REG_EXTENDED | REG_NOSUB);
    DIR *d = opendir(order);
    REQUIRE(d != NULL, "order folder %s", order);
    int files = 0;
    *classes = 0;
    bool misc = false;
    struct dirent *e;
    char seen[400][16];
    int nseen = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strcmp(e->d_name, "MISC") == 0) {
            misc = true;
            continue;
        }
        CHECK(regexec(&dir_re, e->d_name, 0, NULL, 0) == 0, "class folder name %s", e->d_name);
        (*classes)++;
        char sub[1200];
        snprintf(sub, sizeof sub, "%s/%s", order, e->d_name);
        DIR *c = opendir(sub);
        struct dirent *f;
        while (c && (f = readdir(c)) != NULL) {
            if (f->d_name[0] == '.')
                continue;
            size_t n = strlen(f->d_name);
            CHECK(regexec(&file_re, f->d_name, 0, NULL, 0) == 0 && n >= 8 && n <= 15 && strchr(f->d_name, '.') == strrchr(f->d_name, '.'),
                  "file name %s: 8-15 characters, one period", f->d_name);
            CHECK(strncmp(f->d_name, e->d_name + 1, 3) == 0 || strncmp(f->d_name + 1, e->d_name + 1, 3) == 0,
                  "%s starts with its class number (%s)", f->d_name, e->d_name);
            for (int k = 0; k < nseen; k++)
                CHECK(strcmp(seen[k], f->d_name) != 0, "no name twice across folders: %s", f->d_name);
            if (nseen < 400)
                snprintf(seen[nseen++], sizeof seen[0], "%.15s", f->d_name);
            files++;
        }
        if (c)
            closedir(c);
    }
    closedir(d);
    CHECK(misc == dpof, "MISC folder %s", dpof ? "present" : "absent");
    regfree(&dir_re);
    regfree(&file_re);
    return files;
}

static void check_dpof(const char *order, const manifest *m, bool vendor)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/MISC/AUTPRINT.MRK", order);
    size_t size = 0;
    char *text = (char *)gp_pdf_slurp(path, &size);
    REQUIRE(text != NULL, "AUTPRINT.MRK");
    dpof_order d;
    char why[256];
    bool ok = dpof_parse(text, size, &d, why, sizeof why);
    CHECK(ok, "DPOF 1.10: %s", why);
    CHECK(strcmp(d.rev, "01.10") == 0 && d.creator[0] != '\0' && d.dtm[0] != '\0', "header");
    CHECK(vendor ? strcmp(d.vendor, "NORITSU KOKI") == 0 : d.vendor[0] == '\0', "vendor region '%s'", d.vendor);
    /* Every print of the order folder, once, in delivery order: a class's
     * divider, then its students as the manifest lists them. */
    int sheet_col = column(m, "冲印文件"), back_col = column(m, "背印");
    size_t j = 0;
    for (int r = 1; r < m->nrows && j < d.njobs; r++) {
        const char *sheet = m->rows[r][sheet_col], *slash = strchr(sheet, '/');
        REQUIRE(slash != NULL, "manifest path %s", sheet);
        bool first_of_class = r == 1 || strncmp(m->rows[r - 1][sheet_col], sheet, (size_t)(strrchr(sheet, '/') - sheet)) != 0;
        if (first_of_class) {
            CHECK(strstr(d.jobs[j].src, "0000.JPG") != NULL, "job %zu is a divider: %s", j, d.jobs[j].src);
            j++;
        }
        char src[300];
        snprintf(src, sizeof src, "..%s", slash);
        CHECK(j < d.njobs && strcmp(d.jobs[j].src, src) == 0, "job %zu is %s, got %s", j, src, j < d.njobs ? d.jobs[j].src : "-");
        if (j < d.njobs) {
            CHECK(d.jobs[j].qty == 1 && strcmp(d.jobs[j].typ, "STD") == 0 && strcmp(d.jobs[j].fmt, "EXIF2 -J") == 0,
                  "one standard print of an Exif JPEG");
            char file[1300];
            snprintf(file, sizeof file, "%s/%s", order, d.jobs[j].src + 3);
            CHECK(exists(file), "job's image exists: %s", file);
            if (vendor) {
                char joined[300];
                snprintf(joined, sizeof joined, "%s / %s", d.jobs[j].cvp[0], d.jobs[j].cvp[1]);
                CHECK(d.jobs[j].ncvp == 2 && strcmp(joined, m->rows[r][back_col]) == 0,
                      "back print '%s' is the manifest's '%s'", joined, m->rows[r][back_col]);
                CHECK(strlen(d.jobs[j].cvp[0]) <= 40 && strlen(d.jobs[j].cvp[1]) <= 40, "within 40 characters");
                CHECK(strstr(d.jobs[j].cvp[0], m->rows[r][column(m, "学号")]) != NULL &&
                          strncmp(d.jobs[j].cvp[0], m->rows[r][column(m, "班级代码")], 4) == 0,
                      "back print: class code and student number: %s", d.jobs[j].cvp[0]);
            } else {
                CHECK(d.jobs[j].ncvp == 0, "no back-print lines");
            }
        }
        j++;
    }
    CHECK(j == d.njobs, "one job per print: %zu jobs, %zu prints", d.njobs, j);
    for (size_t k = 0; k < d.njobs; k++)
        CHECK(d.jobs[k].pid == (long)k + 1, "print ids count up: %ld", d.jobs[k].pid);
    dpof_free(&d);
    free(text);
}

/* The map from the order's names back to the Chinese names: one class
 * name per class code, each student's sheet in its class's folder. */
static void check_mapping(const manifest *m, const char *order_dir_name)
{
    int code_col = column(m, "班级代码"), class_col = column(m, "班级"), sheet_col = column(m, "冲印文件");
    REQUIRE(code_col >= 0 && class_col >= 0 && sheet_col >= 0, "manifest has 班级代码, 班级, 冲印文件");
    for (int r = 1; r < m->nrows; r++) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s/%s/", order_dir_name, m->rows[r][code_col]);
        CHECK(strncmp(m->rows[r][sheet_col], prefix, strlen(prefix)) == 0, "%s is in %s", m->rows[r][sheet_col], prefix);
        for (int q = 1; q < r; q++)
            if (strcmp(m->rows[q][code_col], m->rows[r][code_col]) == 0)
                CHECK(strcmp(m->rows[q][class_col], m->rows[r][class_col]) == 0, "one class per code");
            else
                CHECK(strcmp(m->rows[q][class_col], m->rows[r][class_col]) != 0, "one code per class");
    }
}

static void check_noritsu(const char *dir)
{
    char out[1100], hot[1100], staging[1200], ready[1200];
    snprintf(out, sizeof out, "%s/noritsu-out", dir);
    snprintf(hot, sizeof hot, "%s/hot", dir);
    mkdir(hot, 0700);
    snprintf(staging, sizeof staging, "%s/p0042", hot);
    snprintf(ready, sizeof ready, "%s/o0042", hot);
    progress_probe pp = {staging, ready, false};
    gp_sheets_result *res = NULL;
    REQUIRE(run_lab(out, "noritsu", "0042", hot, 0, NULL, &pp, &res) == GP_OK, "noritsu order");
    CHECK(pp.saw_staging_only, "while it was written the order was p0042, not yet o0042");
    CHECK(exists(ready) && !exists(staging), "handed over: o0042, no p0042");
    CHECK_STR(gp_sheets_result_order_dir(res), ready);
    gp_sheets_result_free(res);
    int classes = 0;
    int files = check_order_tree(ready, true, &classes);
    CHECK(classes == 19 && files == 36 + 19, "19 class folders, 36 sheets and 19 dividers: %d, %d", classes, files);
    char sheet[1300];
    snprintf(sheet, sizeof sheet, "%s/C001/00010001.JPG", ready);
    check_jpeg(sheet, 5 * 320, 7 * 320, 320); /* 5x7 inches at Noritsu's 320 dpi */
    snprintf(sheet, sizeof sheet, "%s/C001/00010000.JPG", ready);
    check_jpeg(sheet, 5 * 320, 7 * 320, 320);
    manifest m;
    read_manifest(out, &m);
    CHECK(m.nrows == 37, "36 students in the manifest");
    check_mapping(&m, "o0042");
    check_dpof(ready, &m, true);
    /* The packing list of the first class: its code and the prints' names. */
    char list[1300];
    snprintf(list, sizeof list, "%s/%s", out, m.rows[1][column(&m, "装袋清单")]);
    PopplerDocument *doc = gp_pdf_open(list);
    REQUIRE(doc != NULL, "packing list %s", list);
    PopplerPage *page = poppler_document_get_page(doc, 0);
    char *text = poppler_page_get_text(page);
    CHECK(text && strstr(text, "C001") && strstr(text, "o0042") && strstr(text, "00010001.JPG") &&
              strstr(text, m.rows[1][column(&m, "姓名")]) && strstr(text, m.rows[1][column(&m, "学号")]),
          "packing list maps C001 and 00010001.JPG to the student");
    g_free(text);
    g_object_unref(page);
    g_object_unref(doc);
    free(m.data);

    /* The same order name again: refused, the order there untouched. */
    snprintf(out, sizeof out, "%s/noritsu-out2", dir);
    CHECK(run_lab(out, "noritsu", "0042", hot, 0, NULL, NULL, NULL) == GP_E_USAGE, "order name already handed over");
    CHECK(!exists(out), "and nothing written");
    /* A p<order> left by a stopped run: reported, not reused or removed. */
    snprintf(staging, sizeof staging, "%s/p0043", hot);
    mkdir(staging, 0700);
    CHECK(run_lab(out, "noritsu", "0043", hot, 0, NULL, NULL, NULL) == GP_E_USAGE, "stale p0043 reported");
    snprintf(ready, sizeof ready, "%s/o0043", hot);
    CHECK(exists(staging) && !exists(ready) && !exists(out), "nothing handed over, the stale folder left for a person");
    rmdir(staging);
}

static void check_frontier(const char *dir)
{
    char out[1100], order[1200];
    snprintf(out, sizeof out, "%s/frontier-out", dir);
    REQUIRE(run_lab(out, "frontier", "A7", NULL, 0, NULL, NULL, NULL) == GP_OK, "frontier order");
    snprintf(order, sizeof order, "%s/oA7", out);
    int classes = 0;
    CHECK(check_order_tree(order, false, &classes) == 36 + 19, "frontier prints");
    char sheet[1300];
    snprintf(sheet, sizeof sheet, "%s/C002/00020001.JPG", order);
    check_jpeg(sheet, 1500, 2100, 300);
    manifest m;
    read_manifest(out, &m);
    int back = column(&m, "背印"), file = column(&m, "冲印文件");
    for (int r = 1; r < m.nrows; r++) {
        const char *base = strrchr(m.rows[r][file], '/') + 1;
        CHECK(strlen(m.rows[r][back]) == 8 && strncmp(m.rows[r][back], base, 8) == 0,
              "the Frontier back-prints the name's first 8 characters: %s", m.rows[r][back]);
    }
    free(m.data);
}

static void check_generic_and_papers(const char *dir)
{
    char out[1100], order[1200], path[1300];
    snprintf(out, sizeof out, "%s/generic-out", dir);
    REQUIRE(run_lab(out, "generic", "G1", NULL, 254, "photo-sheet-6in", NULL, NULL) == GP_OK, "generic, 6in, 254 dpi");
    snprintf(order, sizeof order, "%s/oG1", out);
    manifest m;
    read_manifest(out, &m);
    check_dpof(order, &m, false);
    snprintf(path, sizeof path, "%s/C001/00010001.JPG", order);
    check_jpeg(path, 4 * 254, 6 * 254, 254); /* --dpi over the profile's 300 */
    free(m.data);

    /* A paper in millimetres: the sheet is the paper's pixels, the
     * template centred on it. */
    snprintf(path, sizeof path, "%s/mm.conf", dir);
    FILE *f = fopen(path, "w");
    fputs("name = metric\ndpi = 300\npaper = 127x178mm\ndpof = no\n", f);
    fclose(f);
    snprintf(out, sizeof out, "%s/metric-out", dir);
    REQUIRE(run_lab(out, path, "M1", NULL, 0, NULL, NULL, NULL) == GP_OK, "metric paper");
    snprintf(path, sizeof path, "%s/oM1/C001/00010001.JPG", out);
    check_jpeg(path, (int)floor(127 / 25.4 * 300 + 0.5), (int)floor(178 / 25.4 * 300 + 0.5), 300);

    /* A template on none of the lab's papers. */
    snprintf(path, sizeof path, "%s/big.conf", dir);
    f = fopen(path, "w");
    fputs("name = big\ndpi = 300\npaper = 8x10in\n", f);
    fclose(f);
    snprintf(out, sizeof out, "%s/big-out", dir);
    CHECK(run_lab(out, path, "B1", NULL, 0, NULL, NULL, NULL) == GP_E_USAGE && !exists(out), "paper mismatch refused");
    /* A broken profile: exit 2 with its line, nothing written. */
    f = fopen(path, "w");
    fputs("name = big\ndpi = 300x\npaper = 8x10in\n", f);
    fclose(f);
    CHECK(run_lab(out, path, "B1", NULL, 0, NULL, NULL, NULL) == GP_E_INVALID && !exists(out), "broken profile refused");
    /* A failing run leaves no half order in the hot folder. */
    char hot[1100], roster[1100];
    snprintf(hot, sizeof hot, "%s/hot2", dir);
    mkdir(hot, 0700);
    snprintf(roster, sizeof roster, "%s/missing-photos", dir);
    mkdir(roster, 0700);
    gp_sheets_options o;
    gp_sheets_options_init(&o);
    o.roster_path = GP_SOURCE_DIR "/samples/roster.csv";
    o.photos_dir = roster; /* no photos: preflight fails */
    o.out_dir = out;
    o.lab = "noritsu";
    o.order_id = "F1";
    o.hot_folder = hot;
    gp_error *err = NULL;
    CHECK(gp_sheets_run(ctx, &o, NULL, &err) == GP_E_INVALID, "preflight fails");
    gp_error_free(err);
    DIR *d = opendir(hot);
    int entries = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        entries += e->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK(entries == 0, "the hot folder is empty after a failed run: %d", entries);
}

int main(void)
{
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    check_profiles();
    check_back_print();
    char *dir = fixture_tempdir();
    check_noritsu(dir);
    check_frontier(dir);
    check_generic_and_papers(dir);
    fixture_remove(dir);
    free(dir);
    gp_context_free(ctx);
    return gp_test_done();
}
