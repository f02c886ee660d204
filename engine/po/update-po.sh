#!/bin/sh
# Regenerates the translation template and merges it into every translation.
# POTFILES is rebuilt first, so a new source file with messages is never
# missed; run this from anywhere after changing a user-visible string, then
# translate the new or fuzzy entries in zh_CN.po.
set -eu
cd "$(dirname "$0")/../.."

# Only files that mark strings: keeps POTFILES short and reviewable.
{ find engine/src -name '*.c'; ls drivers/*.c engine/cli/*.c; } | LC_ALL=C sort -u |
    while read -r f; do
        if grep -Eq '(^|[^A-Za-z0-9_])N?_\(' "$f"; then echo "$f"; fi
    done > engine/po/POTFILES

xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --language=C \
    --add-comments=TRANSLATORS --package-name=gradprint --sort-by-file \
    -o engine/po/gradprint.pot -f engine/po/POTFILES

for po in engine/po/*.po; do
    msgmerge --quiet --update --backup=none "$po" engine/po/gradprint.pot
done
