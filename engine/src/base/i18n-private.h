/* Message translation. English is the source language; the "gradprint"
 * gettext domain carries zh_CN. The library only looks messages up; binding
 * the domain to a directory is done once by gp_context_new. */
#ifndef GP_I18N_PRIVATE_H
#define GP_I18N_PRIVATE_H

#include <libintl.h>

#define GP_TEXT_DOMAIN "gradprint"
#define _(msgid) dgettext(GP_TEXT_DOMAIN, msgid)
#define N_(msgid) msgid

#endif
