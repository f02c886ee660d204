/* The print journal: its format round trip, masking, the state fold and
 * its rules, torn tails vs. damage, locking, and crash safety (SIGKILL at
 * random points, a write cut short by RLIMIT_FSIZE). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "print/cups-private.h"
#include "gp-test.h"
#include "test-photo-util.h"
#include "print/journal-line-private.h"
#include "print/journal-private.h"

static char *dir;

static char *path_in(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static void write_all(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    REQUIRE(f != NULL && fwrite(data, 1, size, f) == size && fclose(f) == 0, "cannot write %s", path);
}

static const char *msg(const gp_error *err)
{
    return err != NULL ? gp_error_message(err) : "(no error)";
}

static void append_ok(gp_journal *j, const gp_journal_event *ev)
{
    gp_error *err = NULL;
    gp_status st = gp_journal_append(j, ev, &err);
    CHECK(st == GP_OK, "append %s: %s", gp_journal_kind_name(ev->kind), msg(err));
    gp_error_free(err);
}

/* ---- masking and names ---- */

static void test_mask(void)
{
    char out[GP_MASKED_ID_SIZE];
    gp_mask_id_number("110101199003071234", out, sizeof out);
    CHECK_STR(out, "110101********1234");
    gp_mask_id_number("11010119900307123X", out, sizeof out);
    CHECK_STR(out, "110101********123X");
    gp_mask_id_number("110101900307123", out, sizeof out); /* 15-digit old form */
    CHECK_STR(out, "110101********7123");
    gp_mask_id_number("1234567890", out, sizeof out);
    CHECK_STR(out, "********");
    gp_mask_id_number("１１０１０１１９９００３０７１２３４", out, sizeof out);
    CHECK_STR(out, "********");
    gp_mask_id_number(NULL, out, sizeof out);
    CHECK_STR(out, "********");
}

static void test_names(void)
{
    char run[GP_RUN_ID_SIZE], other[GP_RUN_ID_SIZE], job[80];
    gp_error *err = NULL;
    CHECK(gp_print_run_id_new(run, sizeof run, &err) == GP_OK, "run id");
    CHECK(gp_print_run_id_new(other, sizeof other, &err) == GP_OK, "run id");
    CHECK(strlen(run) == 23 && run[0] == 'r' && run[9] == '-' && run[16] == '-', "run id shape: %s", run);
    CHECK(strcmp(run, other) != 0, "two run ids are the same: %s", run);
    CHECK(gp_print_job_name(run, 7, job, sizeof job, &err) == GP_OK, "job name");
    CHECK(strncmp(job, run, strlen(run)) == 0 && strcmp(job + strlen(run), "-b0007") == 0, "job name %s", job);
    CHECK(gp_cups_job_name_valid(job), "job name %s is not a valid CUPS job name", job);
    CHECK(gp_print_job_name("r1", 123456, job, sizeof job, &err) == GP_OK && strcmp(job, "r1-b123456") == 0, "%s",
          job);
    CHECK(gp_print_job_name("张三", 1, job, sizeof job, &err) == GP_E_USAGE, "a run id with personal data");
    gp_error_free(err);
    err = NULL;
    char long_id[80];
    memset(long_id, 'a', 60);
    long_id[60] = '\0';
    CHECK(gp_print_job_name(long_id, 1, job, sizeof job, &err) == GP_E_USAGE, "a job name over 64 characters");
    gp_error_free(err);
}

/* ---- format round trip ---- */

static const long rec3[] = {0, 1, 2};
static const char *const awkward = "tab\there\nnew\\line\r \x01 中文 \xff\xfe end";

typedef struct collected {
    int n;
    gp_journal_event ev[16];
    char *strings[16][8];
    long records[16][4];
    long lines[16];
} collected;

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static gp_status collect(void *user, const gp_journal_event *ev, long line, gp_error **err)
{
    (void)err;
    collected *c = user;
    if (c->n >= 16)
        return GP_OK;
    int i = c->n++;
    c->ev[i] = *ev;
    c->lines[i] = line;
    const char *s[8] = {ev->run_id, ev->student_no, ev->id_number, ev->job_name, ev->reason, ev->serial, ev->options,
                        ev->state};
    for (int k = 0; k < 8; k++)
        c->strings[i][k] = dup_or_null(s[k]);
    for (size_t k = 0; k < ev->n_records && k < 4; k++)
        c->records[i][k] = ev->records[k];
    return GP_OK;
}

static void collected_free(collected *c)
{
    for (int i = 0; i < c->n; i++)
        for (int k = 0; k < 8; k++)
            free(c->strings[i][k]);
}

/* A run: batch 1 of records 0-2 printed, batch 2 of record 3 with its
 * outcome unknown, blanks used and spoiled, a reprint of record 0. */
static void write_run(gp_journal *j)
{
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_RUN_STARTED);
    ev.run_id = "r20260501-080000-3fa2c1";
    ev.template_name = "certificate-a";
    ev.queues = "office,hall";
    ev.options = awkward;
    append_ok(j, &ev);
    static const char *const students[] = {"2020001", "2020002", "2020003", "2020004"};
    for (long r = 0; r < 3; r++) {
        gp_journal_event_init(&ev, GP_JOURNAL_RECORD_RENDERED);
        ev.record = r;
        ev.student_no = students[r];
        ev.batch = 1;
        ev.id_number = r == 0 ? "110101199003071234" : NULL;
        append_ok(j, &ev);
    }
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
    ev.batch = 1;
    ev.job_name = "r20260501-080000-3fa2c1-b0001";
    ev.queue = "office";
    ev.records = rec3;
    ev.n_records = 3;
    append_ok(j, &ev);
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_SUBMITTED);
    ev.batch = 1;
    ev.job_id = 41;
    append_ok(j, &ev);
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_COMPLETED);
    ev.batch = 1;
    ev.job_id = 41;
    ev.state = "completed";
    append_ok(j, &ev);
    for (long r = 0; r < 3; r++) {
        char serial[16];
        snprintf(serial, sizeof serial, "B%05ld", 100 + r);
        gp_journal_event_init(&ev, GP_JOURNAL_BLANK_ASSIGNED);
        ev.record = r;
        ev.serial = serial;
        ev.batch = 1;
        append_ok(j, &ev);
    }
    gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
    ev.serial = "B00100";
    ev.reason = "smudged";
    append_ok(j, &ev);
    gp_journal_event_init(&ev, GP_JOURNAL_REPRINT_REQUESTED);
    ev.records = rec3;
    ev.n_records = 1;
    ev.reason = "blank B00100 smudged";
    append_ok(j, &ev);
    gp_journal_event_init(&ev, GP_JOURNAL_RECORD_RENDERED);
    ev.record = 3;
    ev.student_no = students[3];
    ev.batch = 2;
    append_ok(j, &ev);
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
    ev.batch = 2;
    ev.job_name = "r20260501-080000-3fa2c1-b0002";
    ev.queue = "hall";
    long r3 = 3;
    ev.records = &r3;
    ev.n_records = 1;
    append_ok(j, &ev);
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_FAILED);
    ev.batch = 2;
    ev.state = "aborted";
    ev.reason = "The printer is not responding.";
    /* Not appended: kept for the failure tests. */
}

#define RUN_EVENTS 14

static void test_round_trip(void)
{
    const char *path = path_in("round.journal");
    gp_journal *j = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_journal_open(path, true, &j, &err) == GP_OK, "open: %s", msg(err));
    write_run(j);
    CHECK(gp_journal_events(j) == RUN_EVENTS, "events %ld", gp_journal_events(j));

    /* A bad event is refused and writes nothing. */
    struct stat before, after;
    stat(path, &before);
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_BATCH_INTENT);
    ev.batch = 9;
    ev.queue = "office";
    ev.records = rec3;
    ev.n_records = 1;
    gp_status st = gp_journal_append(j, &ev, &err);
    CHECK(st == GP_E_USAGE && strstr(msg(err), "(job)") != NULL, "intent without job: %d %s", st, msg(err));
    gp_error_free(err);
    err = NULL;
    gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
    ev.serial = "B1";
    ev.reason = "x";
    ev.job_id = 5;
    st = gp_journal_append(j, &ev, &err);
    CHECK(st == GP_E_USAGE, "a field the event does not have: %d", st);
    gp_error_free(err);
    err = NULL;
    stat(path, &after);
    CHECK(after.st_size == before.st_size && gp_journal_events(j) == RUN_EVENTS, "a refused event was written");
    gp_journal_close(j);

    CHECK((after.st_mode & 0777) == 0600, "journal mode %o", (unsigned)(after.st_mode & 0777));

    size_t size;
    unsigned char *raw = tp_read_file(path, &size);
    REQUIRE(raw != NULL, "read back");
    CHECK(strstr((char *)raw, "110101199003071234") == NULL, "a whole ID number is in the journal");
    CHECK(strstr((char *)raw, "\tid=110101********1234\t") != NULL, "masked ID missing");
    CHECK(strstr((char *)raw, "\trecords=0,1,2\t") != NULL, "record list");
    CHECK(raw[size - 1] == '\n', "last line unterminated");
    int lines = 0;
    for (size_t i = 0; i < size; i++)
        lines += raw[i] == '\n';
    CHECK(lines == RUN_EVENTS, "%d lines", lines);
    /* Valid UTF-8 throughout, no raw control characters but tab and LF. */
    bool clean = true;
    for (size_t i = 0; i < size; i++) {
        unsigned char c = raw[i];
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || c == 0xff || c == 0xfe)
            clean = false;
    }
    CHECK(clean, "the journal holds raw control or non-UTF-8 bytes");
    /* Line 1 field by field: SEQ TIME EVENT ... CRC */
    char *first = strndup((char *)raw, strcspn((char *)raw, "\n"));
    CHECK(strncmp(first, "1\t20", 4) == 0 && strstr(first, "Z\trun-started\trun=r20260501-080000-3fa2c1\t") != NULL,
          "line 1: %s", first);
    size_t flen = strlen(first);
    char crc[16];
    snprintf(crc, sizeof crc, "%08x", (unsigned)gp_journal_crc32(first, flen - 8));
    CHECK(strcmp(first + flen - 8, crc) == 0, "crc of line 1: %s vs %s", first + flen - 8, crc);
    free(first);
    free(raw);

    collected c = {0};
    bool torn = true;
    st = gp_journal_replay(path, collect, &c, &torn, &err);
    CHECK(st == GP_OK && !torn && c.n == RUN_EVENTS, "replay: %d torn %d n %d %s", st, torn, c.n, msg(err));
    if (c.n == RUN_EVENTS) {
        CHECK(c.ev[0].kind == GP_JOURNAL_RUN_STARTED && c.lines[0] == 1, "first event");
        CHECK_STR(c.strings[0][0], "r20260501-080000-3fa2c1");
        CHECK_STR(c.strings[0][6], awkward);
        CHECK(c.ev[1].kind == GP_JOURNAL_RECORD_RENDERED && c.ev[1].record == 0 && c.ev[1].batch == 1, "rendered");
        CHECK_STR(c.strings[1][1], "2020001");
        CHECK_STR(c.strings[1][2], "110101********1234");
        CHECK(c.strings[2][2] == NULL, "an id nobody gave");
        CHECK(c.ev[4].kind == GP_JOURNAL_BATCH_INTENT && c.ev[4].n_records == 3 && c.records[4][0] == 0 &&
                  c.records[4][2] == 2,
              "intent records");
        CHECK_STR(c.strings[4][3], "r20260501-080000-3fa2c1-b0001");
        CHECK(c.ev[5].kind == GP_JOURNAL_BATCH_SUBMITTED && c.ev[5].job_id == 41, "submitted");
        CHECK(c.ev[6].kind == GP_JOURNAL_BATCH_COMPLETED, "completed");
        CHECK_STR(c.strings[6][7], "completed");
        CHECK_STR(c.strings[7][5], "B00100");
        CHECK(c.ev[10].kind == GP_JOURNAL_BLANK_VOIDED, "voided");
        CHECK_STR(c.strings[10][4], "smudged");
        CHECK(c.ev[11].kind == GP_JOURNAL_REPRINT_REQUESTED && c.ev[11].n_records == 1, "reprint");
        CHECK(c.lines[13] == 14, "line numbers");
    }
    collected_free(&c);
    gp_error_free(err);
}

/* ---- the state fold ---- */

static void test_state(void)
{
    const char *path = path_in("round.journal");
    gp_print_state *s = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_print_state_load(path, &s, &err) == GP_OK, "load: %s", msg(err));
    CHECK_STR(s->run_id, "r20260501-080000-3fa2c1");
    CHECK_STR(s->queues, "office,hall");
    CHECK(s->events == RUN_EVENTS && !s->torn_tail, "events %ld", s->events);
    const gp_print_record *r0 = gp_print_state_record(s, 0), *r1 = gp_print_state_record(s, 1),
                          *r3 = gp_print_state_record(s, 3);
    REQUIRE(r0 != NULL && r1 != NULL && r3 != NULL, "records");
    CHECK(gp_print_state_record(s, 4) == NULL && gp_print_state_record(s, -1) == NULL, "unknown records");
    CHECK(r0->state == GP_RECORD_NONE && r0->printed == 1 && r0->reprints == 1, "record 0 after reprint: %d",
          r0->state);
    CHECK_STR(r0->blank_serial, "B00100");
    CHECK(r1->state == GP_RECORD_COMPLETED && r1->job_id == 41 && r1->batch == 1 && r1->printed == 1, "record 1");
    CHECK_STR(r1->student_no, "2020002");
    CHECK_STR(r1->blank_serial, "B00101");
    CHECK(r3->state == GP_RECORD_RENDERED && r3->batch == 2, "record 3: %d", r3->state);
    const gp_print_batch *b1 = gp_print_state_batch(s, 1), *b2 = gp_print_state_batch(s, 2);
    REQUIRE(b1 != NULL && b2 != NULL && s->n_batches == 2, "batches");
    CHECK(b1->state == GP_BATCH_COMPLETED && b1->job_id == 41 && b1->n_records == 3, "batch 1");
    CHECK_STR(b1->cups_state, "completed");
    CHECK(b2->state == GP_BATCH_INTENT && b2->job_id == 0 && b2->intent_line == RUN_EVENTS, "batch 2: outcome unknown");
    CHECK_STR(b2->job_name, "r20260501-080000-3fa2c1-b0002");
    CHECK_STR(b2->queue, "hall");
    CHECK(s->n_voided == 1 && gp_print_state_blank_voided(s, "B00100") && !gp_print_state_blank_voided(s, "B00101"),
          "voided");

    /* What the rules refuse. */
    struct {
        const char *what;
        gp_journal_event ev;
    } bad[12];
    int n = 0;
#define BAD(desc, k) (bad[n].what = (desc), gp_journal_event_init(&bad[n].ev, (k)), &bad[n++].ev)
    gp_journal_event *e;
    e = BAD("re-render while the batch's outcome is unknown", GP_JOURNAL_RECORD_RENDERED);
    e->record = 3, e->student_no = "2020004", e->batch = 3;
    e = BAD("re-render of a printed record without a reprint", GP_JOURNAL_RECORD_RENDERED);
    e->record = 1, e->student_no = "2020002", e->batch = 3;
    e = BAD("another student under a known record", GP_JOURNAL_RECORD_RENDERED);
    e->record = 0, e->student_no = "2020999", e->batch = 3;
    e = BAD("a record rendered into a batch already sent", GP_JOURNAL_RECORD_RENDERED);
    e->record = 0, e->student_no = "2020001", e->batch = 1;
    e = BAD("a batch announced twice", GP_JOURNAL_BATCH_INTENT);
    e->batch = 1, e->job_name = "x", e->queue = "office", e->records = rec3, e->n_records = 1;
    e = BAD("a batch of records not rendered for it", GP_JOURNAL_BATCH_INTENT);
    e->batch = 3, e->job_name = "x", e->queue = "office", e->records = rec3 + 1, e->n_records = 1;
    e = BAD("a batch never announced", GP_JOURNAL_BATCH_SUBMITTED);
    e->batch = 7, e->job_id = 3;
    e = BAD("a batch that already ended", GP_JOURNAL_BATCH_FAILED);
    e->batch = 1, e->state = "aborted";
    e = BAD("a blank used twice", GP_JOURNAL_BLANK_ASSIGNED);
    e->record = 3, e->serial = "B00101";
    e = BAD("a voided blank used", GP_JOURNAL_BLANK_ASSIGNED);
    e->record = 3, e->serial = "B00100";
    static const long rec_3[] = {3};
    e = BAD("a reprint while the batch's outcome is unknown", GP_JOURNAL_REPRINT_REQUESTED);
    e->records = rec_3, e->n_records = 1, e->reason = "x";
    e = BAD("the same blank voided twice", GP_JOURNAL_BLANK_VOIDED);
    e->serial = "B00100", e->reason = "again";
#undef BAD
    for (int i = 0; i < n; i++) {
        gp_error *e2 = NULL;
        long events = s->events;
        gp_status st = gp_print_state_apply(s, &bad[i].ev, path, 99, &e2);
        CHECK(st == GP_E_INVALID && gp_error_line(e2) == 99 && s->events == events, "%s: %d %s", bad[i].what, st,
              msg(e2));
        gp_error_free(e2);
    }
    /* And what they allow: batch 2 resolved, then record 3 rendered anew. */
    gp_journal_event ok;
    gp_journal_event_init(&ok, GP_JOURNAL_BATCH_FAILED);
    ok.batch = 2, ok.state = "not-found";
    CHECK(gp_print_state_apply(s, &ok, path, 16, &err) == GP_OK, "fail batch 2: %s", msg(err));
    CHECK(r3->state == GP_RECORD_FAILED, "record 3 failed");
    gp_journal_event_init(&ok, GP_JOURNAL_RECORD_RENDERED);
    ok.record = 3, ok.student_no = "2020004", ok.batch = 3;
    CHECK(gp_print_state_apply(s, &ok, path, 17, &err) == GP_OK, "re-render record 3: %s", msg(err));
    ok.record = 0, ok.student_no = "2020001";
    CHECK(gp_print_state_apply(s, &ok, path, 18, &err) == GP_OK, "reprint record 0: %s", msg(err));
    gp_print_state_free(s);
    gp_error_free(err);

    /* An event before run-started. */
    s = gp_print_state_new();
    gp_journal_event_init(&ok, GP_JOURNAL_BLANK_VOIDED);
    ok.serial = "B1", ok.reason = "x";
    err = NULL;
    CHECK(gp_print_state_apply(s, &ok, NULL, 1, &err) == GP_E_INVALID, "event before run-started");
    gp_print_state_free(s);
    gp_error_free(err);

    /* A journal breaking the rules fails to load, naming the line. */
    const char *bad_path = path_in("rules.journal");
    gp_journal *j = NULL;
    err = NULL;
    REQUIRE(gp_journal_open(bad_path, true, &j, &err) == GP_OK, "open: %s", msg(err));
    gp_journal_event_init(&ok, GP_JOURNAL_RUN_STARTED);
    ok.run_id = "r1", ok.template_name = "t", ok.queues = "q";
    append_ok(j, &ok);
    gp_journal_event_init(&ok, GP_JOURNAL_BATCH_SUBMITTED);
    ok.batch = 4, ok.job_id = 9;
    append_ok(j, &ok);
    gp_journal_close(j);
    s = NULL;
    gp_status st = gp_print_state_load(bad_path, &s, &err);
    CHECK(st == GP_E_INVALID && s == NULL && gp_error_line(err) == 2 && gp_error_file(err) != NULL &&
              strcmp(gp_error_file(err), bad_path) == 0,
          "rules broken at line 2: %d line %ld %s", st, gp_error_line(err), msg(err));
    gp_error_free(err);
}

/* ---- torn tails and damage ---- */

static int replay_count(const char *path, bool *torn, gp_error **err, gp_status *st)
{
    collected c = {0};
    *st = gp_journal_replay(path, collect, &c, torn, err);
    collected_free(&c);
    return c.n;
}

static void test_torn_tail(void)
{
    const char *path = path_in("round.journal"), *cut = path_in("cut.journal");
    size_t size;
    unsigned char *raw = tp_read_file(path, &size);
    REQUIRE(raw != NULL, "read");
    size_t last_start = size - 1;
    while (last_start > 0 && raw[last_start - 1] != '\n')
        last_start--;
    /* Cut at every byte of the last line: the line is ignored, nothing else. */
    int bad_cuts = 0;
    for (size_t len = last_start; len < size; len++) {
        write_all(cut, raw, len);
        bool torn;
        gp_error *err = NULL;
        gp_status st;
        int n = replay_count(cut, &torn, &err, &st);
        if (st != GP_OK || n != RUN_EVENTS - 1 || torn != (len > last_start)) {
            if (bad_cuts++ < 3)
                CHECK(false, "cut at %zu: st %d n %d torn %d %s", len, st, n, torn, msg(err));
        }
        gp_error_free(err);
    }
    CHECK(bad_cuts == 0, "%d cuts of the last line misread", bad_cuts);

    /* A power cut can leave NUL bytes; a last line that has its LF but fails
     * its checksum was damaged after it was written (a flipped byte), which
     * is not a torn tail: cutting it off would drop a journalled event. */
    unsigned char *buf = malloc(size + 64);
    memcpy(buf, raw, size);
    memset(buf + size, 0, 40);
    write_all(cut, buf, size + 40);
    bool torn;
    gp_error *err = NULL;
    gp_status st;
    int n = replay_count(cut, &torn, &err, &st);
    CHECK(st == GP_OK && n == RUN_EVENTS && torn, "NUL tail: %d %d %d", st, n, torn);
    gp_error_free(err);
    err = NULL;
    memcpy(buf, raw, size);
    buf[size - 5] ^= 0x20;
    write_all(cut, buf, size);
    n = replay_count(cut, &torn, &err, &st);
    CHECK(st == GP_E_INVALID && gp_error_line(err) == RUN_EVENTS, "flipped byte in the last line: %d line %ld", st,
          err != NULL ? gp_error_line(err) : 0L);
    gp_error_free(err);
    err = NULL;

    /* Opening cuts the torn line off, and appending goes on cleanly. */
    write_all(cut, raw, size - 7);
    gp_journal *j = NULL;
    REQUIRE(gp_journal_open(cut, false, &j, &err) == GP_OK, "open torn: %s", msg(err));
    CHECK(gp_journal_events(j) == RUN_EVENTS - 1, "events after a torn tail: %ld", gp_journal_events(j));
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
    ev.serial = "B00200";
    ev.reason = "jammed";
    append_ok(j, &ev);
    gp_journal_close(j);
    collected c = {0};
    st = gp_journal_replay(cut, collect, &c, &torn, &err);
    CHECK(st == GP_OK && !torn && c.n == RUN_EVENTS && c.ev[RUN_EVENTS - 1].kind == GP_JOURNAL_BLANK_VOIDED &&
              c.lines[RUN_EVENTS - 1] == RUN_EVENTS,
          "after reopening: %d torn %d n %d %s", st, torn, c.n, msg(err));
    collected_free(&c);
    free(buf);
    free(raw);
    gp_error_free(err);
}

static void test_damage(void)
{
    const char *path = path_in("round.journal"), *bad = path_in("bad.journal");
    size_t size;
    unsigned char *raw = tp_read_file(path, &size);
    REQUIRE(raw != NULL, "read");
    unsigned char *buf = malloc(size);
    /* A flipped byte in every line but the last: reported at that line. */
    size_t start = 0;
    int misread = 0;
    for (long line = 1; start < size; line++) {
        size_t end = start;
        while (raw[end] != '\n')
            end++;
        if (end + 1 >= size)
            break;
        /* The sequence number, the middle, the checksum, and the LF. */
        const size_t spots[] = {start, (start + end) / 2, end - 3, end};
        for (size_t s = 0; s < sizeof spots / sizeof spots[0]; s++) {
            size_t at = spots[s];
            memcpy(buf, raw, size);
            buf[at] ^= 0x04;
            write_all(bad, buf, size);
            gp_error *err = NULL;
            bool torn;
            gp_status st;
            replay_count(bad, &torn, &err, &st);
            bool ok = st == GP_E_INVALID && gp_error_line(err) == line && gp_error_file(err) != NULL &&
                      strcmp(gp_error_file(err), bad) == 0 && strstr(msg(err), "damaged") != NULL;
            if (!ok && misread++ < 3)
                CHECK(false, "flip at byte %zu (line %ld): st %d line %ld %s", at, line, st,
                      err != NULL ? gp_error_line(err) : 0, msg(err));
            gp_error_free(err);
        }
        start = end + 1;
    }
    CHECK(misread == 0, "%d flipped bytes misread", misread);

    /* A flip is also refused by open, which must not cut valid lines. */
    memcpy(buf, raw, size);
    buf[3] ^= 0x01;
    write_all(bad, buf, size);
    gp_journal *j = NULL;
    gp_error *err = NULL;
    CHECK(gp_journal_open(bad, false, &j, &err) == GP_E_INVALID && j == NULL, "open damaged: %s", msg(err));
    gp_error_free(err);
    err = NULL;
    size_t after;
    unsigned char *again = tp_read_file(bad, &after);
    CHECK(again != NULL && after == size, "open changed a damaged journal");
    free(again);

    /* Two lines swapped: each intact, out of sequence. */
    size_t l1 = strcspn((char *)raw, "\n") + 1;
    size_t l2 = strcspn((char *)raw + l1, "\n") + 1;
    memcpy(buf, raw + l1, l2);
    memcpy(buf + l2, raw, l1);
    memcpy(buf + l1 + l2, raw + l1 + l2, size - l1 - l2);
    write_all(bad, buf, size);
    bool torn;
    gp_status st;
    replay_count(bad, &torn, &err, &st);
    CHECK(st == GP_E_INVALID && gp_error_line(err) == 1, "swapped lines: %d line %ld", st, gp_error_line(err));
    gp_error_free(err);
    err = NULL;

    /* An intact line of an event this version does not know. */
    char line[256];
    int len = snprintf(line, sizeof line, "%d\t2026-05-01T08:00:00.000Z\tbatch-exploded\tbatch=1\t", RUN_EVENTS + 1);
    snprintf(line + len, sizeof line - (size_t)len, "%08x\n", (unsigned)gp_journal_crc32(line, (size_t)len));
    FILE *f = fopen(bad, "wb");
    fwrite(raw, 1, size, f);
    fputs(line, f);
    fclose(f);
    replay_count(bad, &torn, &err, &st);
    CHECK(st == GP_E_INVALID && gp_error_line(err) == RUN_EVENTS + 1 && strstr(msg(err), "unknown event") != NULL,
          "unknown event: %d %s", st, msg(err));
    gp_error_free(err);
    err = NULL;

    /* Keys from a newer writer are skipped. */
    len = snprintf(line, sizeof line, "%d\t2026-05-01T08:00:00.000Z\tblank-voided\tserial=B9\treason=x\tcolour=red\t",
                   RUN_EVENTS + 1);
    snprintf(line + len, sizeof line - (size_t)len, "%08x\n", (unsigned)gp_journal_crc32(line, (size_t)len));
    f = fopen(bad, "wb");
    fwrite(raw, 1, size, f);
    fputs(line, f);
    fclose(f);
    int n = replay_count(bad, &torn, &err, &st);
    CHECK(st == GP_OK && n == RUN_EVENTS + 1, "unknown key: %d %d %s", st, n, msg(err));
    gp_error_free(err);
    free(buf);
    free(raw);
}

static void test_open_and_lock(void)
{
    const char *path = path_in("lock.journal");
    gp_journal *a = NULL, *b = NULL;
    gp_error *err = NULL;
    gp_status st = gp_journal_open(path, false, &a, &err);
    CHECK(st == GP_E_IO && a == NULL && strstr(msg(err), "no print journal") != NULL, "missing: %s", msg(err));
    gp_error_free(err);
    err = NULL;
    bool torn;
    st = gp_journal_replay(path, NULL, NULL, &torn, &err);
    CHECK(st == GP_E_IO && strstr(msg(err), "no print journal") != NULL, "replay missing: %s", msg(err));
    gp_error_free(err);
    err = NULL;

    REQUIRE(gp_journal_open(path, true, &a, &err) == GP_OK, "create: %s", msg(err));
    st = gp_journal_open(path, true, &b, &err);
    CHECK(st == GP_E_IO && b == NULL && strstr(msg(err), "another gradprint") != NULL, "second writer: %s", msg(err));
    gp_error_free(err);
    err = NULL;
    gp_journal_event ev;
    gp_journal_event_init(&ev, GP_JOURNAL_RUN_STARTED);
    ev.run_id = "r1", ev.template_name = "t", ev.queues = "q";
    append_ok(a, &ev);
    /* Readers need no lock, and reading does not drop the writer's. */
    st = gp_journal_replay(path, NULL, NULL, &torn, &err);
    CHECK(st == GP_OK, "replay while open: %s", msg(err));
    st = gp_journal_open(path, true, &b, &err);
    CHECK(st == GP_E_IO, "the lock went away after a replay");
    gp_error_free(err);
    err = NULL;
    gp_journal_close(a);
    st = gp_journal_open(path, true, &b, &err);
    CHECK(st == GP_OK && gp_journal_events(b) == 1, "reopen: %s", msg(err));
    gp_journal_close(b);
    gp_error_free(err);
}

/* ---- crash safety ---- */

static void kill_child_writer(const char *path, int ack_fd, long first)
{
    gp_journal *j = NULL;
    if (gp_journal_open(path, true, &j, NULL) != GP_OK)
        _exit(3);
    for (long i = first;; i++) {
        gp_journal_event ev;
        char serial[32];
        if (i == 0) {
            gp_journal_event_init(&ev, GP_JOURNAL_RUN_STARTED);
            ev.run_id = "r-kill", ev.template_name = "t", ev.queues = "q";
        } else {
            snprintf(serial, sizeof serial, "S%06ld", i);
            gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
            ev.serial = serial;
            ev.reason = "killed at random: 中文 \t tab";
        }
        if (gp_journal_append(j, &ev, NULL) != GP_OK)
            _exit(4);
        /* Acknowledged only once durable. */
        int32_t done = (int32_t)i;
        if (write(ack_fd, &done, sizeof done) != (ssize_t)sizeof done)
            _exit(5);
    }
}

typedef struct kill_check {
    long n;
    bool in_order;
} kill_check;

static gp_status check_kill_event(void *user, const gp_journal_event *ev, long line, gp_error **err)
{
    (void)err;
    kill_check *k = user;
    char want[32];
    long i = line - 1;
    snprintf(want, sizeof want, "S%06ld", i);
    if (i == 0 ? ev->kind != GP_JOURNAL_RUN_STARTED
               : ev->kind != GP_JOURNAL_BLANK_VOIDED || ev->serial == NULL || strcmp(ev->serial, want) != 0)
        k->in_order = false;
    k->n++;
    return GP_OK;
}

static void test_kill(void)
{
    const char *path = path_in("kill.journal");
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    fprintf(stderr, "kill test seed %u\n", seed);
    srand(seed);
    long durable = 0; /* events acknowledged so far */
    int failures = 0, torn_seen = 0;
    for (int round = 0; round < 50; round++) {
        int pipefd[2];
        REQUIRE(pipe(pipefd) == 0, "pipe");
        pid_t pid = fork();
        REQUIRE(pid >= 0, "fork");
        if (pid == 0) {
            close(pipefd[0]);
            /* Each round continues the same journal from where replay says it ends. */
            kill_child_writer(path, pipefd[1], durable);
        }
        close(pipefd[1]);
        int32_t ack;
        long acked = durable;
        /* Every fifth round dies while opening (cutting a torn tail, the
         * lock); the others once appending is under way, at a random point. */
        if (round % 5 != 0 && read(pipefd[0], &ack, sizeof ack) == (ssize_t)sizeof ack)
            acked = ack + 1;
        struct timespec pause = {0, (long)(rand() % (round % 5 != 0 ? 8000 : 2000)) * 1000L};
        nanosleep(&pause, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        while (read(pipefd[0], &ack, sizeof ack) == (ssize_t)sizeof ack)
            acked = ack + 1;
        close(pipefd[0]);
        /* Every third round, a power cut as well: part of the next line
         * reached the disk. The next writer must cut it off. */
        if (round % 3 == 2) {
            kill_check count = {0, true};
            gp_journal_replay(path, check_kill_event, &count, NULL, NULL);
            gp_journal_event ev;
            gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
            ev.serial = "S-never-acknowledged";
            ev.reason = "power cut";
            gp_strbuf line;
            gp_strbuf_init(&line);
            gp_journal_format(&line, count.n + 1, "2026-05-01T08:00:00.000Z", &ev);
            size_t part = 1 + (size_t)rand() % (line.len - 1);
            FILE *f = fopen(path, "ab");
            REQUIRE(f != NULL && fwrite(line.data, 1, part, f) == part && fclose(f) == 0, "tearing %s", path);
            gp_strbuf_free(&line);
        }
        if (!WIFSIGNALED(status)) {
            CHECK(false, "round %d: the writer exited with %d before it was killed", round, WEXITSTATUS(status));
            failures++;
            continue;
        }
        kill_check k = {0, true};
        bool torn = false;
        gp_error *err = NULL;
        /* Killed before it created the journal: nothing to find. */
        if (acked == 0 && access(path, F_OK) != 0)
            continue;
        gp_status st = gp_journal_replay(path, check_kill_event, &k, &torn, &err);
        torn_seen += torn;
        if (round % 3 == 2 && !torn && failures++ < 3)
            CHECK(false, "round %d: the torn line was not seen", round);
        /* Every acknowledged event is there, at most one more (written, not yet acknowledged). */
        if (st != GP_OK || !k.in_order || k.n < acked || k.n > acked + 1) {
            if (failures++ < 3)
                CHECK(false, "round %d: st %d in order %d, %ld events, %ld acknowledged: %s", round, st, k.in_order,
                      k.n, acked, msg(err));
        }
        gp_error_free(err);
        durable = k.n;
    }
    CHECK(failures == 0, "%d of 50 kills lost or broke events", failures);
    CHECK(durable >= 40, "the writers got only %ld events written", durable);
    CHECK(torn_seen >= 16, "only %d torn tails seen", torn_seen);
    fprintf(stderr, "kill test: %ld events in 50 kills, %d torn tails seen\n", durable, torn_seen);
}

static void test_short_write(void)
{
    const char *path = path_in("short.journal");
    pid_t pid = fork();
    REQUIRE(pid >= 0, "fork");
    if (pid == 0) {
        /* In a child: the file size limit is per process. */
        int bad = 0;
        gp_journal *j = NULL;
        if (gp_journal_open(path, true, &j, NULL) != GP_OK)
            _exit(100);
        gp_journal_event ev;
        gp_journal_event_init(&ev, GP_JOURNAL_RUN_STARTED);
        ev.run_id = "r-short", ev.template_name = "t", ev.queues = "q";
        bad += gp_journal_append(j, &ev, NULL) != GP_OK;
        gp_journal_event_init(&ev, GP_JOURNAL_BLANK_VOIDED);
        ev.serial = "S1", ev.reason = "first";
        bad += gp_journal_append(j, &ev, NULL) != GP_OK;
        struct stat sb;
        if (stat(path, &sb) != 0)
            _exit(102);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim;
        getrlimit(RLIMIT_FSIZE, &lim);
        struct rlimit small = {(rlim_t)sb.st_size + 10, lim.rlim_max};
        if (setrlimit(RLIMIT_FSIZE, &small) != 0)
            _exit(101);
        ev.serial = "S2", ev.reason = "this line is cut short by the file size limit";
        gp_error *err = NULL;
        gp_status st = gp_journal_append(j, &ev, &err);
        const char *m = err != NULL ? gp_error_message(err) : "";
        if (st != GP_E_IO || strstr(m, "writing the print journal failed") == NULL || gp_error_line(err) != 3) {
            fprintf(stderr, "short write: %d %s\n", st, m);
            bad++;
        }
        gp_error_free(err);
        struct stat after;
        stat(path, &after);
        if (after.st_size != sb.st_size) {
            fprintf(stderr, "the partial line was left: %lld vs %lld bytes\n", (long long)after.st_size,
                    (long long)sb.st_size);
            bad++;
        }
        setrlimit(RLIMIT_FSIZE, &lim);
        ev.serial = "S3", ev.reason = "after the disk was fixed";
        bad += gp_journal_append(j, &ev, NULL) != GP_OK;
        gp_journal_close(j);
        _exit(bad);
    }
    int status;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "short-write child: status %d", WEXITSTATUS(status));
    collected c = {0};
    bool torn = true;
    gp_error *err = NULL;
    gp_status st = gp_journal_replay(path, collect, &c, &torn, &err);
    CHECK(st == GP_OK && !torn && c.n == 3, "after a short write: %d torn %d n %d %s", st, torn, c.n, msg(err));
    if (c.n == 3) {
        CHECK_STR(c.strings[1][5], "S1");
        CHECK_STR(c.strings[2][5], "S3");
    }
    collected_free(&c);
    gp_error_free(err);
}

int main(void)
{
    dir = fixture_tempdir();
    test_mask();
    test_names();
    test_round_trip();
    test_state();
    test_torn_tail();
    test_damage();
    test_open_and_lock();
    test_kill();
    test_short_write();
    return gp_test_done();
}
