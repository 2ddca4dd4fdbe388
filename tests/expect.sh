#!/bin/sh
# expect.sh SRC - the expectations written in the comments of a test
# source, the one reader of them (tests/fail/check.cmake,
# tests/lang/run_test.sh and tests/lang/CMakeLists.txt use it).  Prints one
# expectation a line:
#   exit N        EXPECT-EXIT: N        the exit status (the last one given)
#   stderr TEXT   EXPECT-STDERR: TEXT   text stderr must contain (each one)
#   env NAME=V    ENV: NAME=V           environment of the program
#   args WORDS    RUN-ARGS: WORDS       arguments of the program
#   buildfail     EXPECT-BUILD-FAIL     the build must fail (tests/lang/errors)
#   here FILE:N   @HERE                 stderr must name line N of FILE: a
#                                       line of SRC, or of a file SRC
#                                       includes with quotes, holding @HERE
# A value ends at the end of the line or at a closing "*/".
set -eu
src=$1
dir=$(dirname "$src")
directives() {
    awk '
    function value(key,   i, v) {
        i = index($0, key)
        v = substr($0, i + length(key))
        sub(/^ */, "", v)
        sub(/ *\*\/.*$/, "", v)
        sub(/ *$/, "", v)
        return v
    }
    /EXPECT-EXIT:/ { print "exit " value("EXPECT-EXIT:") }
    /EXPECT-STDERR:/ { print "stderr " value("EXPECT-STDERR:") }
    /(^|[^A-Z_-])ENV: *[A-Z_]+=/ { print "env " value("ENV:") }
    /RUN-ARGS:/ { print "args " value("RUN-ARGS:") }
    /EXPECT-BUILD-FAIL/ { print "buildfail" }
    ' "$1"
}
here() { # FILE: its @HERE lines
    grep -n '@HERE' "$1" | sed "s|^\([0-9]*\):.*|here $(basename "$1"):\1|" || true
}
directives "$src"
here "$src"
sed -n 's/^[ \t]*#[ \t]*include[ \t]*"\([^"]*\)".*/\1/p' "$src" |
while IFS= read -r inc; do
    [ -f "$dir/$inc" ] && here "$dir/$inc"
done
exit 0
