/* The one JSON writer of the tool (after curl's tool_writeout_json.c): the
 * writer keeps the nesting and the commas, commands describe their fields
 * as tables (cli.h), and every command's output is the same envelope. */
#include <math.h>
#include <string.h>

#include "cli.h"

#define MAX_DEPTH 16

struct cli_json {
    FILE *out;
    int depth;
    bool first[MAX_DEPTH]; /* nothing written yet at this level */
};

static void json_init(cli_json *w, FILE *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->first[0] = true;
}

static void put_string(FILE *out, const char *s)
{
    if (s == NULL) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
        uint32_t cp;
        size_t len = cli_utf8_decode(p, &cp);
        if (len == 0) {
            fputs("\\ufffd", out); /* JSON is UTF-8: a stray byte cannot stand as it is */
            p++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            fprintf(out, "\\%c", (int)cp);
        else if (cp == '\n')
            fputs("\\n", out);
        else if (cp < 0x20 || cp == 0x7f || (cli_is_invisible(cp) && cp <= 0xffff))
            fprintf(out, "\\u%04x", (unsigned)cp); /* the same text, but safe to cat to a terminal */
        else if (cli_is_invisible(cp))
            fprintf(out, "\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
        else
            fwrite(p, 1, len, out);
        p += len;
    }
    fputc('"', out);
}

/* The comma and the name before a value at the current level. */
static void key(cli_json *w, const char *name)
{
    if (!w->first[w->depth])
        fputc(',', w->out);
    w->first[w->depth] = false;
    if (name != NULL) {
        put_string(w->out, name);
        fputc(':', w->out);
    }
}

static void open_level(cli_json *w, const char *name, char bracket)
{
    key(w, name);
    fputc(bracket, w->out);
    if (w->depth + 1 < MAX_DEPTH)
        w->depth++;
    w->first[w->depth] = true;
}

static void close_level(cli_json *w, char bracket)
{
    fputc(bracket, w->out);
    if (w->depth > 0)
        w->depth--;
}

void cli_json_object_begin(cli_json *w, const char *name) { open_level(w, name, '{'); }
void cli_json_object_end(cli_json *w) { close_level(w, '}'); }
void cli_json_array_begin(cli_json *w, const char *name) { open_level(w, name, '['); }
void cli_json_array_end(cli_json *w) { close_level(w, ']'); }

void cli_json_value(cli_json *w, const char *name, const cli_json_field *v)
{
    if (v->type == CLI_JSON_T_CUSTOM) {
        /* The function writes one value, which takes this name. */
        key(w, name);
        w->first[w->depth] = true;
        v->write(w, v->data);
        w->first[w->depth] = false;
        return;
    }
    key(w, name);
    switch (v->type) {
    case CLI_JSON_T_STRING: put_string(w->out, v->str); break;
    case CLI_JSON_T_SIZE: fprintf(w->out, "%zu", v->size); break;
    case CLI_JSON_T_LONG: fprintf(w->out, "%ld", v->integer); break;
    case CLI_JSON_T_NUMBER:
        if (isfinite(v->number))
            fprintf(w->out, "%.6g", v->number);
        else
            fputs("null", w->out);
        break;
    case CLI_JSON_T_BOOL: fputs(v->boolean ? "true" : "false", w->out); break;
    case CLI_JSON_T_NULL:
    case CLI_JSON_T_CUSTOM: fputs("null", w->out); break;
    }
}

void cli_json_fields(cli_json *w, const cli_json_field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cli_json_value(w, fields[i].name, &fields[i]);
}

void cli_json_object(cli_json *w, const char *name, const cli_json_field *fields, size_t n)
{
    cli_json_object_begin(w, name);
    cli_json_fields(w, fields, n);
    cli_json_object_end(w);
}

void cli_json_str(cli_json *w, const char *name, const char *s)
{
    cli_json_value(w, name, &(cli_json_field)CLI_JSON_STRING(name, s));
}

void cli_json_size(cli_json *w, const char *name, size_t v)
{
    cli_json_value(w, name, &(cli_json_field)CLI_JSON_SIZE(name, v));
}

void cli_json_long(cli_json *w, const char *name, long v)
{
    cli_json_value(w, name, &(cli_json_field)CLI_JSON_LONG(name, v));
}

void cli_json_bool(cli_json *w, const char *name, bool v)
{
    cli_json_value(w, name, &(cli_json_field)CLI_JSON_BOOL(name, v));
}

void cli_json_number(cli_json *w, const char *name, double v)
{
    cli_json_value(w, name, &(cli_json_field)CLI_JSON_NUMBER(name, v));
}

void cli_json_null(cli_json *w, const char *name) { cli_json_value(w, name, &(cli_json_field)CLI_JSON_NULL(name)); }

void cli_json_report(cli_json *w, const char *name, const gp_report *report)
{
    cli_json_array_begin(w, name);
    size_t n = report != NULL ? gp_report_count(report) : 0;
    for (size_t i = 0; i < n; i++) {
        const gp_finding *f = gp_report_get(report, i);
        const cli_json_field fields[] = {
            CLI_JSON_STRING("severity", f->severity == GP_ERROR ? "error" : "warning"),
            CLI_JSON_STRING("code", f->code),
            CLI_JSON_STRING("file", f->file),
            CLI_JSON_LONG("line", f->line),
            CLI_JSON_STRING("student_no", f->student_no),
            CLI_JSON_STRING("message", f->message),
        };
        cli_json_object(w, NULL, fields, CLI_JSON_COUNT(fields));
    }
    cli_json_array_end(w);
}

void cli_json_envelope(FILE *out, const cli_outcome *o, int exit)
{
    cli_json w;
    json_init(&w, out);
    const cli_json_field head[] = {
        CLI_JSON_STRING("command", o->command),
        CLI_JSON_BOOL("ok", exit == 0),
        CLI_JSON_LONG("exit", exit),
        CLI_JSON_STRING("error", o->error != NULL ? gp_error_message(o->error) : NULL),
    };
    cli_json_object_begin(&w, NULL);
    cli_json_fields(&w, head, CLI_JSON_COUNT(head));
    cli_json_report(&w, "findings", o->report);
    cli_json_fields(&w, o->fields, o->nfields);
    cli_json_object_end(&w);
    fputc('\n', out);
    fflush(out);
}
