#!/bin/sh
# doc_refs.sh SOURCE_DIR - every reference to the documentation in the
# tree resolves: each `docs/NAME.md` exists, each `NAME.md §N` (or a bare
# `§N` inside docs/NAME.md) names a numbered heading "## N." of that page,
# each relative Markdown link from a .md file reaches a file, and nothing
# cites a design file that is not in the repository.
set -eu
src=$1
cd "$src"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    list() { git ls-files --cached --others --exclude-standard; }
else
    list() { find . -path ./.git -prune -o -name 'build*' -prune -o -type f -print | sed 's|^\./||'; }
fi
self=tests/doc_refs.sh
# The design files outside the repository, spelled in pieces so that this
# checker names none of them itself.
outside='LANG''UAGE[.]md|DES''IGN-NOTES|STY''LE[.]md|[.][.]/sha''red/'
list | grep -Ev '\.(png|jpg|gz|a|o|so)$' | grep -vx "$self" | while IFS= read -r f; do
    [ -f "$f" ] || continue
    awk -v file="$f" -v outside="$outside" '
    function fail(msg) { printf "%s:%d: %s\n", file, FNR, msg; bad = 1 }
    function heading(page, sec,   h, line, found) {
        h = "docs/" page
        if (!((h, sec) in seen)) {
            found = 0
            while ((getline line < h) > 0)
                if (line ~ ("^#+ " sec "\\.[ ]"))
                    found = 1
            close(h)
            seen[h, sec] = found
        }
        return seen[h, sec]
    }
    function exists(p,   line, ok) {
        ok = (getline line < p) >= 0
        close(p)
        return ok
    }
    {
        line = $0
        if (line ~ outside)
            fail("cites a file that is not in the repository: cite docs/ instead")
        rest = line
        while (match(rest, /docs\/[A-Za-z0-9_-]+\.md/)) {
            p = substr(rest, RSTART, RLENGTH)
            if (!exists(p))
                fail(p " does not exist")
            rest = substr(rest, RSTART + RLENGTH)
        }
        if (file ~ /\.md$/) {
            rest = line
            while (match(rest, /\]\([^)#: ]+\.md[)#]/)) {
                p = substr(rest, RSTART + 2, RLENGTH - 3)
                d = file; sub(/[^\/]*$/, "", d)
                if (!exists(d p))
                    fail("link to " p ", which does not exist")
                rest = substr(rest, RSTART + RLENGTH)
            }
        }
        page = ""
        if (file ~ /^docs\/[^\/]*\.md$/) { page = file; sub(/^docs\//, "", page) }
        rest = line
        while (match(rest, /([A-Za-z0-9_-]+\.md[^A-Za-z0-9§]*)?§ ?[0-9]+(\.[0-9]+)*/)) {
            ref = substr(rest, RSTART, RLENGTH)
            rest = substr(rest, RSTART + RLENGTH)
            if (match(ref, /[A-Za-z0-9_-]+\.md/))
                page = substr(ref, RSTART, RLENGTH)
            match(ref, /[0-9]+(\.[0-9]+)*$/)
            sec = substr(ref, RSTART, RLENGTH)
            if (page == "")
                fail("§" sec " names no page: write docs/NAME.md §" sec)
            else if (!heading(page, sec))
                fail("docs/" page " has no section " sec)
        }
    }
    END { exit bad }' "$f" || echo "$f" >> "${TMPDIR:-/tmp}/doc_refs.$$"
done
if [ -s "${TMPDIR:-/tmp}/doc_refs.$$" ]; then
    rm -f "${TMPDIR:-/tmp}/doc_refs.$$"
    exit 1
fi
rm -f "${TMPDIR:-/tmp}/doc_refs.$$"
echo "ok: every docs/ reference resolves"
