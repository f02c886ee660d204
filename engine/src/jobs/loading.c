/* Which way a blank goes into the printer. gradprint turns a page itself
 * (gp_page_spec.turned: the blank's left edge along the medium's top), so
 * the edge that leads follows from that and the printer's feed edge alone,
 * never from a driver. */
#include "calibration-private.h"

#include <stdio.h>

#include "base/i18n-private.h"

gp_blank_edge gp_leading_edge(bool turned, gp_feed_edge feed)
{
    if (!turned)
        return feed == GP_FEED_TOP ? GP_BLANK_TOP : GP_BLANK_BOTTOM;
    return feed == GP_FEED_TOP ? GP_BLANK_LEFT : GP_BLANK_RIGHT;
}

static const char *edge_words(gp_blank_edge e)
{
    switch (e) {
    case GP_BLANK_TOP: return _("their top edge");
    case GP_BLANK_RIGHT: return _("their right edge (where the lines of text end)");
    case GP_BLANK_BOTTOM: return _("their bottom edge");
    case GP_BLANK_LEFT: return _("their left edge (where the lines of text begin)");
    }
    return "";
}

void gp_loading_instructions(bool turned, const gp_calibration *cal, char *buf, size_t size)
{
    const char *face = cal->face == GP_FACE_DOWN ? _(", printed side down")
                       : cal->face == GP_FACE_UP ? _(", printed side up")
                                                 : _(" (which side up: pencil an X on the upper side of a plain "
                                                     "sheet in the tray and print the calibration page on it: the "
                                                     "X on the printed side means printed side up; then set face = "
                                                     "up or down in the printer profile)");
    snprintf(buf, size, turned ? _("Load the blanks turned: %s enters the printer first%s.")
                               : _("Load the blanks upright: %s enters the printer first%s."),
             edge_words(gp_leading_edge(turned, cal->feed)), face);
}
