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

static void blank_list_json(const gp_print_status *s, size_t n,
                            void (*get)(const gp_print_status *, size_t, gp_print_void_info *))
{
    for (size_t i = 0; i < n; i++) {
        gp_print_void_info v;
        get(s, i, &v);
        printf("%s{\"serial\":", i ? "," : "");
        cli_json_string(stdout, v.serial);
        printf(",\"reason\":");
        cli_json_string(stdout, v.reason);
        printf(",\"time\":");
        cli_json_string(stdout, v.time);
        printf(",\"line\":%ld}", v.line);
    }
}

static void status_json(const gp_print_status *s)
{
    printf("{\"command\":\"status\",\"ok\":true,\"exit\":0,\"findings\":[],\"run\":");
    cli_json_string(stdout, gp_print_status_run_id(s));
    printf(",\"template\":");
    cli_json_string(stdout, gp_print_status_template(s));
    printf(",\"queues\":");
    cli_json_string(stdout, gp_print_status_queues(s));
    printf(",\"started\":");
    cli_json_string(stdout, gp_print_status_started(s));
    printf(",\"updated\":");
    cli_json_string(stdout, gp_print_status_updated(s));
    printf(",\"next_blank\":");
    cli_json_string(stdout, gp_print_status_next_serial(s));
    printf(",\"total\":%zu,\"counts\":{", gp_print_status_total(s));
    for (int k = GP_PRINT_PENDING; k <= GP_PRINT_FAILED; k++)
        printf("%s\"%s\":%zu", k ? "," : "", status_name((gp_print_record_status)k),
               gp_print_status_count(s, (gp_print_record_status)k));
    printf("},\"batches\":%zu,\"blanks_used\":%zu,\"blanks_voided\":%zu,\"blanks_replaced\":%zu,\"records\":[",
           gp_print_status_batches(s), gp_print_status_blanks_used(s), gp_print_status_voided(s),
           gp_print_status_replaced(s));
    for (size_t i = 0; i < gp_print_status_records(s); i++) {
        gp_print_record_info r;
        gp_print_status_record(s, i, &r);
        printf("%s{\"line\":%ld,\"student_no\":", i ? "," : "", r.line);
        cli_json_string(stdout, r.student_no);
        printf(",\"status\":\"%s\",\"batch\":%ld,\"job\":%d,\"queue\":", status_name(r.status), r.batch, r.job_id);
        cli_json_string(stdout, r.queue);
        printf(",\"blank\":");
        cli_json_string(stdout, r.blank_serial);
        printf(",\"printed\":%d,\"reprints\":%d,\"pending_reason\":", r.printed, r.reprints);
        cli_json_string(stdout, r.pending_reason);
        printf(",\"blanks\":[");
        for (size_t k = 0; k < gp_print_status_record_blank_count(s, i); k++) {
            gp_print_blank_history h;
            gp_print_status_record_blank(s, i, k, &h);
            printf("%s{\"serial\":", k ? "," : "");
            cli_json_string(stdout, h.serial);
            printf(",\"time\":");
            cli_json_string(stdout, h.time);
            printf(",\"fate\":");
            cli_json_string(stdout, h.fate);
            printf("}");
        }
        printf("]}");
    }
    printf("],\"voided\":[");
    blank_list_json(s, gp_print_status_voided(s), gp_print_status_void);
    printf("],\"replaced\":[");
    blank_list_json(s, gp_print_status_replaced(s), gp_print_status_replaced_blank);
    printf("]}\n");
}

static void status_text(const gp_print_status *s)
{
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
        return run_failed(err);
    /* A journal that lost events must not read as a healthy run. */
    gp_status st = gp_print_status_verify(s, &err);
    if (st == GP_E_INVALID) {
        gp_print_status_free(s);
        return run_failed(err);
    }
    if (st != GP_OK) {
        fprintf(stderr, _("gradprint: warning: the journal could not be checked against CUPS (%s)\n"),
                gp_error_message(err));
        gp_error_free(err);
    }
    if (a.json)
        status_json(s);
    else
        status_text(s);
    gp_print_status_free(s);
    return 0;
}
