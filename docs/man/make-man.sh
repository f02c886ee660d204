#!/usr/bin/env bash
# make-man.sh GRADPRINT OUTDIR VERSION — writes gradprint(1) and a page per
# command, in English (OUTDIR/man1) and Chinese (OUTDIR/zh_CN/man1), from
# the tool's own --help texts, so the pages never drift from the tool. The
# commands are the ones `gradprint --help` lists: a new command gets its
# page without a change here.
set -euo pipefail

gp=$1 out=$2 version=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The CLI switches to C.UTF-8 and keeps LANGUAGE, whatever locales exist.
english() { env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=en "$@"; }
chinese() { env -u LC_ALL -u LC_MESSAGES LANG=C.UTF-8 LANGUAGE=zh_CN "$@"; }

mapfile -t commands < <(english "$gp" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')
[[ ${#commands[@]} -gt 0 ]] || { echo "make-man: no commands in '$gp --help'" >&2; exit 1; }

page() { # LANGFN DIR NAME SUMMARY SEE_ALSO TITLES... -- HELP-ARGS...
    local run=$1 dir=$2 name=$3 summary=$4 see=$5
    shift 5
    local -a titles=()
    while [[ $1 != -- ]]; do titles+=("$1"); shift; done
    shift
    "$run" "$gp" "$@" | awk -f "$here/help2man.awk" -v name="$name" -v summary="$summary" -v version="$version" \
        -v see_also="$see" -v t_name="${titles[0]}" -v t_synopsis="${titles[1]}" -v t_description="${titles[2]}" \
        -v t_options="${titles[3]}" -v t_exit="${titles[4]}" -v t_see_also="${titles[5]}" >"$dir/$name.1.tmp"
    mv "$dir/$name.1.tmp" "$dir/$name.1"
}

for lang in en zh_CN; do
    if [[ $lang == en ]]; then
        run=english dir=$out/man1
        titles=(NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" "SEE ALSO")
        main_summary="graduate photo sheets and certificates"
    else
        run=chinese dir=$out/zh_CN/man1
        titles=(名称 概要 描述 选项 退出状态 参见)
        main_summary="毕业生照片冲印页与证书"
    fi
    mkdir -p "$dir"
    see_main=""
    for c in "${commands[@]}"; do
        summary=$("$run" "$gp" --help | awk -v c="$c" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }')
        page "$run" "$dir" "gradprint-$c" "$summary" '.BR gradprint (1)' "${titles[@]}" -- "$c" --help
        see_main+=".BR gradprint\\-$c (1)"$'\n'
    done
    page "$run" "$dir" gradprint "$main_summary" "${see_main%$'\n'}" "${titles[@]}" -- --help
done
