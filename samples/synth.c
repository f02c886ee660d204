/* gradprint-synth --students N --out DIR [--seed S] [--xlsx]
 *
 * Writes DIR/roster.csv (UTF-8 with BOM, CRLF, the Chinese headers of a
 * registrar's export, rows shuffled out of delivery order) and
 * DIR/photos/<ID number>.jpg for N synthetic students; with --xlsx also
 * DIR/roster.xlsx (through samples/roster-to-xlsx.py and python3-openpyxl). */
#include "synth.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_SEED 20250601u
#define MAX_STUDENTS 100000

extern char **environ;

static const char *const headers[] = {
    "序号", "学号", "姓名", "性别", "身份证号", "出生日期", "学院", "专业", "班级", "层次", "学制", "入学日期",
    "毕业日期", "毕业证书编号", "学位门类", "学位证书编号",
};

static void usage(FILE *out)
{
    fputs("usage: gradprint-synth --students N --out DIR [--seed S] [--xlsx]\n"
          "  Writes DIR/roster.csv and DIR/photos/<ID>.jpg for N synthetic students\n"
          "  (1..100000); the same seed gives the same files. --xlsx also writes\n"
          "  DIR/roster.xlsx (needs python3 with openpyxl).\n",
          out);
}

static bool parse_number(const char *text, unsigned long long max, unsigned long long *out)
{
    if (!text || !*text || *text == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return false;
    *out = v;
    return true;
}

static bool make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        fprintf(stderr, "gradprint-synth: path too long: %s\n", path);
        return false;
    }
    for (char *p = buf + 1;; p++) {
        bool last = *p == '\0';
        if (*p == '/' || last) {
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                fprintf(stderr, "gradprint-synth: cannot create %s: %s\n", buf, strerror(errno));
                return false;
            }
            if (last)
                break;
            *p = '/';
        }
    }
    return true;
}

static void put_field(FILE *f, const char *text, bool last)
{
    if (strpbrk(text, ",\"\r\n")) {
        fputc('"', f);
        for (const char *p = text; *p; p++) {
            if (*p == '"')
                fputc('"', f);
            fputc(*p, f);
        }
        fputc('"', f);
    } else {
        fputs(text, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static bool write_roster(const char *path, const synth_student *students, const size_t *order, size_t count)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "gradprint-synth: cannot write %s: %s\n", path, strerror(errno));
        return false;
    }
    fputs("\xEF\xBB\xBF", f); /* the BOM Excel writes and expects */
    size_t nheaders = sizeof headers / sizeof headers[0];
    for (size_t i = 0; i < nheaders; i++)
        put_field(f, headers[i], i + 1 == nheaders);
    for (size_t row = 0; row < count; row++) {
        const synth_student *st = &students[order[row]];
        char seq[24];
        snprintf(seq, sizeof seq, "%zu", row + 1);
        const char *cells[] = {
            seq, st->student_no, st->name, st->male ? "男" : "女", st->id_number, st->birth_date, st->college,
            st->major, st->class_name, "本科", "4", "2021-09-01", "2025-06-30", st->diploma_no, st->degree_field,
            st->degree_no,
        };
        for (size_t i = 0; i < nheaders; i++)
            put_field(f, cells[i], i + 1 == nheaders);
    }
    bool ok = !ferror(f);
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        fprintf(stderr, "gradprint-synth: writing %s failed: %s\n", path, strerror(errno));
    return ok;
}

static bool write_xlsx(const char *csv_path, const char *xlsx_path)
{
    /* Debian's python3-openpyxl lives under /usr/bin/python3, which a
     * pyenv or venv python3 earlier on PATH would not see. */
    const char *python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char *argv[] = {(char *)python, (char *)SYNTH_XLSX_SCRIPT, (char *)csv_path, (char *)xlsx_path, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, python, NULL, NULL, argv, environ);
    if (rc != 0) {
        fprintf(stderr, "gradprint-synth: cannot run %s: %s\n", python, strerror(rc));
        return false;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("gradprint-synth: waitpid");
            return false;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "gradprint-synth: %s failed; is python3-openpyxl installed?\n", SYNTH_XLSX_SCRIPT);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    unsigned long long count = 0, seed = DEFAULT_SEED;
    const char *out = NULL;
    bool xlsx = false, have_count = false;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(arg, "--students") == 0) {
            if (!parse_number(value, MAX_STUDENTS, &count) || count == 0) {
                fprintf(stderr, "gradprint-synth: --students needs a number from 1 to %d\n", MAX_STUDENTS);
                return 2;
            }
            have_count = true;
            i++;
        } else if (strcmp(arg, "--seed") == 0) {
            if (!parse_number(value, UINT64_MAX, &seed)) {
                fprintf(stderr, "gradprint-synth: --seed needs a non-negative whole number\n");
                return 2;
            }
            i++;
        } else if (strcmp(arg, "--out") == 0) {
            if (!value || !*value) {
                fprintf(stderr, "gradprint-synth: --out needs a directory\n");
                return 2;
            }
            out = value;
            i++;
        } else if (strcmp(arg, "--xlsx") == 0) {
            xlsx = true;
        } else {
            fprintf(stderr, "gradprint-synth: unknown argument '%s'\n", arg);
            usage(stderr);
            return 2;
        }
    }
    if (!have_count || !out) {
        usage(stderr);
        return 2;
    }

    char photos[PATH_MAX], path[PATH_MAX], csv[PATH_MAX];
    if (snprintf(photos, sizeof photos, "%s/photos", out) >= (int)sizeof photos ||
        snprintf(csv, sizeof csv, "%s/roster.csv", out) >= (int)sizeof csv) {
        fprintf(stderr, "gradprint-synth: --out path too long\n");
        return 2;
    }
    if (!make_dirs(photos))
        return 1;

    size_t n = (size_t)count;
    synth_student *students = calloc(n, sizeof *students);
    size_t *order = calloc(n, sizeof *order);
    if (!students || !order || !synth_people_make(seed, students, n)) {
        fprintf(stderr, "gradprint-synth: out of memory\n");
        free(students);
        free(order);
        return 1;
    }

    /* Registrars' exports are never in delivery order: shuffle the rows. */
    synth_rng rng;
    synth_rng_init(&rng, seed, 0);
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = synth_rng_below(&rng, (uint32_t)i);
        size_t t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }

    int status = 0;
    size_t total = 0, smallest = SIZE_MAX, largest = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        synth_photo_result res;
        if (snprintf(path, sizeof path, "%s/%s.jpg", photos, students[i].photo_id) >= (int)sizeof path ||
            !synth_photo_write(&students[i], seed, path, &res)) {
            status = 1;
            break;
        }
        total += res.bytes;
        smallest = res.bytes < smallest ? res.bytes : smallest;
        largest = res.bytes > largest ? res.bytes : largest;
    }
    if (status == 0 && !write_roster(csv, students, order, n))
        status = 1;
    if (status == 0 && xlsx) {
        if (snprintf(path, sizeof path, "%s/roster.xlsx", out) >= (int)sizeof path || !write_xlsx(csv, path))
            status = 1;
    }
    if (status == 0)
        printf("gradprint-synth: %zu students (seed %llu) in %s: roster.csv%s, photos/ %zu–%zu bytes, %.1f KB average\n",
               n, seed, out, xlsx ? ", roster.xlsx" : "", smallest, largest, (double)total / (double)n / 1024.0);
    free(students);
    free(order);
    return status;
}
