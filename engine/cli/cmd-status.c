/* gradprint status — what a run's journal says: records per state, what is
 * pending and why, the next blank, voided and replaced blanks. */
#include <string.h>

#include "cli.h"
#include "cmd-print.h"

static const char *status_name(gp_print_record_status s)
{
    static const char *const names[] = {"pending", "rendered", "submitted", "completed", "failed"};
    return names[s];
}

static void write_counts(cli_json *w, const void *data)
{
    const gp_print_status *s = data;
    cli_json_object_begin(w, NULL);
    for (int k = GP_PRINT_PENDING; k <= GP_PRINT_FAILED; k++)
        cli_json_size(w, status_name((gp_print_record_status)k), gp_print_status_count(s, (gp_print_record_status)k));
    cli_json_object_end(w);
}

/* The blanks a record went through, oldest first. */
static void write_record_blanks(cli_json *w, const gp_print_status *s, size_t record)
{
    cli_json_array_begin(w, "blanks");
    for (size_t k = 0; k < gp_print_status_record_blank_count(s, record); k++) {
        gp_print_blank_history h;
        gp_print_status_record_blank(s, record, k, &h);
        const cli_json_field fields[] = {
            CLI_JSON_STRING("serial", h.serial),
            CLI_JSON_STRING("time", h.time),
            CLI_JSON_STRING("fate", h.fate),
        };
        cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
    }
    cli_json_array_end(w);
}

static void write_records(cli_json *w, const void *data)
{
    const gp_print_status *s = data;
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < gp_print_status_records(s); i++) {
        gp_print_record_info r;
        gp_print_status_record(s, i, &r);
        const cli_json_field fields[] = {
            CLI_JSON_LONG("line", r.line),
            CLI_JSON_STRING("student_no", r.student_no),
            CLI_JSON_STRING("status", status_name(r.status)),
            CLI_JSON_LONG("batch", r.batch),
            CLI_JSON_LONG("job", r.job_id),
            CLI_JSON_STRING("queue", r.queue),
            CLI_JSON_STRING("blank", r.blank_serial),
            CLI_JSON_LONG("printed", r.printed),
            CLI_JSON_LONG("reprints", r.reprints),
            CLI_JSON_STRING("pending_reason", r.pending_reason),
        };
        cli_json_object_begin(w, NULL);
        cli_json_fields(w, fields, CLI_JSON_COUNT(fields));
        write_record_blanks(w, s, i);
        cli_json_object_end(w);
    }
    cli_json_array_end(w);
}

static void write_blank_list(cli_json *w, const gp_print_status *s, size_t n,
                             void (*get)(const gp_print_status *, size_t, gp_print_void_info *))
{
    cli_json_array_begin(w, NULL);
    for (size_t i = 0; i < n; i++) {
        gp_print_void_info v;
        get(s, i, &v);
        const cli_json_field fields[] = {
            CLI_JSON_STRING("serial", v.serial),
            CLI_JSON_STRING("reason", v.reason),
            CLI_JSON_STRING("time", v.time),
            CLI_JSON_LONG("line", v.line),
        };
        cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
    }
    cli_json_array_end(w);
}

static void write_voided(cli_json *w, const void *data)
{
    write_blank_list(w, data, gp_print_status_voided(data), gp_print_status_void);
}

static void write_replaced(cli_json *w, const void *data)
{
    write_blank_list(w, data, gp_print_status_replaced(data), gp_print_status_replaced_blank);
}

static void status_text(const void *data)
{
    const gp_print_status *s = data;
    printf(_("run %s: template %s, queue(s) %s, started %s\n"), gp_print_status_run_id(s),
           gp_print_status_template(s) ? gp_print_status_template(s) : "-",
           gp_print_status_queues(s) ? gp_print_status_queues(s) : "-",
           gp_print_status_started(s) ? gp_print_status_started(s) : "-");
    printf(_("records: %zu in the run: %zu completed, %zu submitted, %zu rendered, %zu pending, %zu failed\n"),
           gp_print_status_total(s), gp_print_status_count(s, GP_PRINT_COMPLETED),
           gp_print_status_count(s, GP_PRINT_SUBMITTED), gp_print_status_count(s, GP_PRINT_RENDERED),
           gp_print_status_count(s, GP_PRINT_PENDING), gp_print_status_count(s, GP_PRINT_FAILED));
    printf(_("batches: %zu; blanks used: %zu, voided: %zu\n"), gp_print_status_batches(s),
           gp_print_status_blanks_used(s), gp_print_status_voided(s));
    if (gp_print_status_next_serial(s) != NULL)
        printf(_("next blank: %s\n"), gp_print_status_next_serial(s));
    for (size_t i = 0; i < gp_print_status_records(s); i++) {
        gp_print_record_info r;
        gp_print_status_record(s, i, &r);
        if (r.pending_reason != NULL && r.status != GP_PRINT_PENDING)
            printf(_("  line %ld, student %s: %s\n"), r.line, r.student_no, r.pending_reason);
        else if (r.pending_reason != NULL && r.reprints > 0)
            printf(_("  line %ld, student %s: %s\n"), r.line, r.student_no, r.pending_reason);
    }
    size_t never = gp_print_status_total(s) - gp_print_status_records(s);
    if (gp_print_status_total(s) > gp_print_status_records(s))
        printf(_("  %zu records not printed yet: the next --resume prints them\n"), never);
    for (size_t i = 0; i < gp_print_status_voided(s); i++) {
        gp_print_void_info v;
        gp_print_status_void(s, i, &v);
        if (v.line > 0)
            printf(_("  voided: blank %s (line %ld): %s\n"), v.serial, v.line, v.reason);
        else
            printf(_("  voided: blank %s: %s\n"), v.serial, v.reason);
    }
    for (size_t i = 0; i < gp_print_status_replaced(s); i++) {
        gp_print_void_info v;
        gp_print_status_replaced_blank(s, i, &v);
        printf(_("  replaced: blank %s (line %ld printed again: %s); void it, or load it again if it came out "
                 "unprinted\n"),
               v.serial, v.line, v.reason ? v.reason : "-");
    }
}

int cmd_status(int argc, char **argv)
{
    run_args a;
    int rc = parse_run_args("status", argc, argv, &a,
                            _("Usage: gradprint status --run DIR [--json]\n\n"
                              "Shows a print run: records per state, what is still to print and why, the next\n"
                              "blank, blanks used, voided and replaced.\n"
                              "Exit status: 0 shown, 1 usage error, 2 the journal is damaged, 3 it cannot be read.\n"));
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    gp_print_status *s = NULL;
    gp_error *err = NULL;
    if (gp_print_status_load(a.run, &s, &err) != GP_OK)
        return cli_fail("status", err);
    /* A journal that lost events must not read as a healthy run. */
    gp_status st = gp_print_status_verify(s, &err);
    if (st == GP_E_INVALID) {
        gp_print_status_free(s);
        return cli_fail("status", err);
    }
    gp_error *unchecked = NULL; /* CUPS could not be asked: shown, but not a failure */
    if (st != GP_OK) {
        unchecked = err;
        if (!a.json)
            fprintf(stderr, _("gradprint: warning: the journal could not be checked against CUPS (%s)\n"),
                    gp_error_message(unchecked));
    }
    const cli_json_field fields[] = {
        CLI_JSON_STRING("run", gp_print_status_run_id(s)),
        CLI_JSON_STRING("template", gp_print_status_template(s)),
        CLI_JSON_STRING("queues", gp_print_status_queues(s)),
        CLI_JSON_STRING("started", gp_print_status_started(s)),
        CLI_JSON_STRING("updated", gp_print_status_updated(s)),
        CLI_JSON_STRING("next_blank", gp_print_status_next_serial(s)),
        CLI_JSON_SIZE("total", gp_print_status_total(s)),
        CLI_JSON_CUSTOM("counts", write_counts, s),
        CLI_JSON_SIZE("batches", gp_print_status_batches(s)),
        CLI_JSON_SIZE("blanks_used", gp_print_status_blanks_used(s)),
        CLI_JSON_SIZE("blanks_voided", gp_print_status_voided(s)),
        CLI_JSON_SIZE("blanks_replaced", gp_print_status_replaced(s)),
        CLI_JSON_CUSTOM("records", write_records, s),
        CLI_JSON_CUSTOM("voided", write_voided, s),
        CLI_JSON_CUSTOM("replaced", write_replaced, s),
        CLI_JSON_STRING("cups_unchecked", unchecked != NULL ? gp_error_message(unchecked) : NULL),
    };
    cli_outcome outcome = {"status", GP_OK, NULL, NULL, fields, CLI_JSON_COUNT(fields)};
    int code = cli_finish_outcome(&outcome, a.json, false, status_text, s);
    gp_error_free(unchecked);
    gp_print_status_free(s);
    return code;
}
