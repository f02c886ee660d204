/* Characters that must not reach a certificate. A name is copied from the
 * ID card: letters of any script, the marks they combine with, spaces,
 * the middle dots of minority and foreign names (阿卜杜拉·艾则孜, 玛丽・居里)
 * and a few joiners. A GBK export turns characters it lacks into '?', bidi
 * controls reorder what prints (魏玥雨 for 魏雨玥), and invisible format
 * characters and emoji print as nothing or as a symbol. Classes come from
 * the Unicode general category (GLib's tables), not from lists of
 * examples. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n-private.h"
#include "base/strbuf-private.h"
#include "roster/check-private.h"

static bool is_bidi_control(gunichar c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

/* Punctuation that belongs in names: middle dots (· ・ ･ ‧ • and the word
 * separator ⸱), hyphens, apostrophes, the full stop of an initial. */
static bool is_name_punctuation(gunichar c)
{
    static const gunichar allowed[] = {0x00B7, 0x30FB, 0xFF65, 0x2027, 0x2022, 0x2E31, 0x0387, 0x2219,
                                       0x002D, 0x2010, 0x2011, 0xFF0D, 0x0027, 0x2019, 0x002E, 0xFF0E};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (c == allowed[i])
            return true;
    return false;
}

static bool is_letter(GUnicodeType t)
{
    return t == G_UNICODE_LOWERCASE_LETTER || t == G_UNICODE_UPPERCASE_LETTER || t == G_UNICODE_TITLECASE_LETTER ||
           t == G_UNICODE_MODIFIER_LETTER || t == G_UNICODE_OTHER_LETTER;
}

static bool is_mark(GUnicodeType t)
{
    return t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK;
}

/* Joiners shape Arabic, Indic and Mongolian script letters; between
 * letters of one such script they are part of the spelling. */
static bool joiner_allowed(gunichar c, gunichar before, gunichar after)
{
    if (c != 0x200C && c != 0x200D && c != 0x180E)
        return false;
    if (!is_letter(g_unichar_type(before)) || !is_letter(g_unichar_type(after)))
        return false;
    GUnicodeScript s = g_unichar_get_script(before);
    if (s != g_unichar_get_script(after) || s == G_UNICODE_SCRIPT_HAN || s == G_UNICODE_SCRIPT_LATIN ||
        s == G_UNICODE_SCRIPT_COMMON)
        return false;
    return c != 0x180E || s == G_UNICODE_SCRIPT_MONGOLIAN;
}

static gp_text_problem classify(gunichar c, gunichar before, gunichar after, bool name)
{
    if (c == 0xFFFD || (name && (c == '?' || c == 0xFF1F)))
        return GP_TEXT_LOST;
    if (is_bidi_control(c))
        return GP_TEXT_BIDI;
    GUnicodeType t = g_unichar_type(c);
    switch (t) {
    case G_UNICODE_CONTROL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SURROGATE:
        return GP_TEXT_CONTROL;
    case G_UNICODE_FORMAT:
        return joiner_allowed(c, before, after) ? GP_TEXT_OK : GP_TEXT_CONTROL;
    case G_UNICODE_UNASSIGNED:
        return name ? GP_TEXT_UNASSIGNED : GP_TEXT_OK;
    case G_UNICODE_PRIVATE_USE:
        return name ? GP_TEXT_PRIVATE : GP_TEXT_OK;
    default:
        break;
    }
    if (!name || is_letter(t) || t == G_UNICODE_SPACE_SEPARATOR || t == G_UNICODE_DECIMAL_NUMBER)
        return GP_TEXT_OK;
    /* A mark combines with the letter before it (accents, variation
     * selectors of rare ideographs); alone it is decoration. */
    if (is_mark(t))
        return before != 0 && (is_letter(g_unichar_type(before)) || is_mark(g_unichar_type(before))) ? GP_TEXT_OK
                                                                                                       : GP_TEXT_SYMBOL;
    return is_name_punctuation(c) ? GP_TEXT_OK : GP_TEXT_SYMBOL;
}

gp_text_problem gp_text_scan(const char *s, bool name, unsigned long *cp, size_t *position)
{
    const char *end = s + strlen(s);
    if (!g_utf8_validate(s, end - s, NULL)) {
        *cp = 0xFFFD;
        *position = 1;
        return GP_TEXT_LOST;
    }
    gunichar before = 0;
    size_t pos = 0;
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        const char *next = g_utf8_next_char(p);
        gunichar after = next < end ? g_utf8_get_char(next) : 0;
        pos++;
        gp_text_problem problem = classify(c, before, after, name);
        if (problem != GP_TEXT_OK) {
            *cp = c;
            *position = pos;
            return problem;
        }
        /* Marks keep the letter they sit on as what comes before. */
        if (!is_mark(g_unichar_type(c)))
            before = c;
    }
    return GP_TEXT_OK;
}


/* The cell as a person can read it in a message: what does not print
 * (controls, format and bidi characters) spelt out as \n, \x1b or \u202e,
 * so a message never carries a raw control into a terminal or a log. */
static char *visible_copy(const char *s)
{
    gp_strbuf sb;
    gp_strbuf_init(&sb);
    for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        GUnicodeType t = g_unichar_type(c);
        if (c == '\n')
            gp_strbuf_append(&sb, "\\n");
        else if (c == '\t')
            gp_strbuf_append(&sb, "\\t");
        else if (c < 0x20 || c == 0x7F)
            gp_strbuf_appendf(&sb, "\\x%02x", (unsigned)c);
        else if (t == G_UNICODE_CONTROL || t == G_UNICODE_FORMAT || is_bidi_control(c))
            gp_strbuf_appendf(&sb, "\\u%04x", (unsigned)c);
        else
            gp_strbuf_append_len(&sb, p, (size_t)(g_utf8_next_char(p) - p));
    }
    return gp_strbuf_steal(&sb);
}

static void report(gp_check *c, size_t index, size_t col, gp_text_problem problem, unsigned long cp, size_t pos)
{
    const gp_roster *r = c->roster;
    const char *header = r->headers[col];
    /* Shown so the cell can be found. */
    char *cell = visible_copy(r->records[index].cells[col]);
    char ch[8] = "";
    if (problem == GP_TEXT_SYMBOL || problem == GP_TEXT_UNASSIGNED)
        ch[g_unichar_to_utf8((gunichar)cp, ch)] = '\0';
    switch (problem) {
    case GP_TEXT_LOST:
        gp_check_add(c, index, GP_ERROR, "name-lost-characters",
                     _("%s has a %s as character %zu: a character the export could not store, as GBK exports do "
                       "with rare characters such as 䶮 or 㛃; type the name in again from the ID card and export "
                       "the roster as UTF-8 (.xlsx or CSV UTF-8)"),
                     header, cp == 0xFFFD ? "U+FFFD (\xEF\xBF\xBD)" : "?", pos);
        break;
    case GP_TEXT_PRIVATE:
        gp_check_add(c, index, GP_ERROR, "name-lost-characters",
                     _("%s has U+%04lX as character %zu, a private-use code that some systems give a rare "
                       "character Unicode has a standard code for; type that character in again with a current "
                       "input method"),
                     header, cp, pos);
        break;
    case GP_TEXT_BIDI:
        gp_check_add(c, index, GP_ERROR, "text-control-characters",
                     _("%s \"%s\" holds U+%04lX as character %zu, an invisible bidirectional control that changes "
                       "the order in which the text prints; delete it (type the text in again)"),
                     header, cell != NULL ? cell : "", cp, pos);
        break;
    case GP_TEXT_CONTROL:
        gp_check_add(c, index, GP_ERROR, "text-control-characters",
                     _("%s \"%s\" holds U+%04lX as character %zu, an invisible control or format character that "
                       "prints as nothing or garbles the text; delete it (type the text in again)"),
                     header, cell != NULL ? cell : "", cp, pos);
        break;
    case GP_TEXT_SYMBOL:
    case GP_TEXT_UNASSIGNED:
        gp_check_add(c, index, GP_ERROR, "name-characters",
                     _("%s holds U+%04lX '%s' as character %zu, an emoji, symbol or unassigned code that is not "
                       "part of a name; write the name as on the ID card"),
                     header, cp, ch, pos);
        break;
    case GP_TEXT_OK:
        break;
    }
    free(cell);
}

void gp_check_text(gp_check *c, size_t index)
{
    const gp_roster *r = c->roster;
    const gp_record *rec = &r->records[index];
    int name_col = r->key_column[GP_KEY_NAME];
    /* Only columns gradprint knows print; a 备注 column may hold anything. */
    for (int k = 0; k < GP_KEY_COUNT; k++) {
        int col = r->key_column[k];
        if (col < 0 || rec->cells[col] == NULL)
            continue;
        unsigned long cp;
        size_t pos;
        gp_text_problem problem = gp_text_scan(rec->cells[col], col == name_col, &cp, &pos);
        if (problem != GP_TEXT_OK)
            report(c, index, (size_t)col, problem, cp, pos);
    }
}
