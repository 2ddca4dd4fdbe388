#!/usr/bin/env python3
"""Runs goc's TextMate grammar (editors/vscode/goc/syntaxes) over .goc files
and checks the scopes of the goc words.

usage: textmate_check.py GRAMMAR FIXTURE SAMPLE...

The engine is the TextMate algorithm as VS Code runs it, for the rule kinds
the grammar uses: match (with captures), begin/end (with begin and end
captures and nested patterns) and include (#name, $self).  Each line is
scanned with its newline, the earliest match wins and, at one position, the
first rule in order; a region's end is tried before its patterns.  The
grammar keeps to regexes that Oniguruma and Python's re read alike.

The fixture's "//~" lines put carets under characters of the line above and
name the kind they must have (go, chan, select, make, arrow, or "-" for
none).  In a sample, every go, chan, select {, make(chan and <- outside
comments and strings must have its kind.  Exit 1 on any mismatch.
"""
import json
import re
import sys

KINDS = {
    "keyword.control.go.goc": "go",
    "storage.type.chan.goc": "chan",
    "keyword.control.select.goc": "select",
    "keyword.other.make.goc": "make",
    "keyword.operator.channel.goc": "arrow",
}
SAMPLE_PATTERNS = {
    "go": r"\bgo\b",
    "chan": r"\bchan\b",
    "select": r"\bselect\b(?=\s*\{)",
    "make": r"\bmake\b(?=\s*\(\s*chan\b)",
    "arrow": r"<-",
}


class Grammar:
    def __init__(self, path):
        with open(path) as f:
            self.g = json.load(f)
        self.cache = {}

    def regex(self, src):
        if src not in self.cache:
            self.cache[src] = re.compile(src)
        return self.cache[src]

    def expand(self, patterns):
        """The match and begin rules that patterns stand for, in order."""
        out = []
        for p in patterns:
            inc = p.get("include")
            if inc == "$self" or inc == "$base":
                out += self.expand(self.g["patterns"])
            elif inc is not None:
                if not inc.startswith("#"):
                    raise SystemExit("unsupported include " + inc)
                out += self.expand([self.g["repository"][inc[1:]]])
            elif "match" in p or "begin" in p:
                out.append(p)
            else:
                out += self.expand(p.get("patterns", []))
        return out


def paint(scopes, m, base, name, captures):
    """Give the match's characters their scopes: name, then captures."""
    for i in range(m.start(), m.end()):
        scopes[i] = base + ([name] if name else [])
    for k, c in (captures or {}).items():
        k = int(k)
        if k <= (m.re.groups) and m.start(k) >= 0 and c.get("name"):
            for i in range(m.start(k), m.end(k)):
                scopes[i] = scopes[i] + [c["name"]]


def tokenize(grammar, text):
    """Per line, per character: the list of scope names."""
    stack = []  # (rule, scopes inside it)
    result = []
    for line in text.split("\n"):
        line += "\n"
        scopes = [None] * len(line)
        pos, seen = 0, set()
        while pos < len(line):
            rule = stack[-1][0] if stack else None
            base = stack[-1][1] if stack else ["source.goc"]
            cands = []
            if rule is not None:
                cands.append(("end", rule, grammar.regex(rule["end"])))
            rules = grammar.expand(rule.get("patterns", []) if rule
                                   else grammar.g["patterns"])
            for r in rules:
                cands.append(("rule", r,
                              grammar.regex(r.get("match") or r["begin"])))
            best = None
            for kind, r, rx in cands:
                m = rx.search(line, pos)
                if m and (best is None or m.start() < best[2].start()):
                    best = (kind, r, m)
            if best is None:
                for i in range(pos, len(line)):
                    scopes[i] = base
                break
            kind, r, m = best
            for i in range(pos, m.start()):
                scopes[i] = base
            key = (m.start(), len(stack), id(r))
            if m.end() == m.start() and key in seen:
                scopes[m.start()] = base  # no progress: step over a char
                pos = m.start() + 1
                continue
            seen.add(key)
            if kind == "end":
                outer = stack[-2][1] if len(stack) > 1 else ["source.goc"]
                region = outer + ([rule["name"]] if rule.get("name") else [])
                paint(scopes, m, region, None,
                      rule.get("endCaptures") or rule.get("captures"))
                stack.pop()
            elif "match" in r:
                paint(scopes, m, base, r.get("name"), r.get("captures"))
            else:
                region = base + ([r["name"]] if r.get("name") else [])
                paint(scopes, m, region, None,
                      r.get("beginCaptures") or r.get("captures"))
                inner = region + ([r["contentName"]] if r.get("contentName")
                                  else [])
                stack.append((r, inner))
            pos = m.end()
        result.append(scopes[:-1])
    return result


def kind_of(scopes):
    for s in reversed(scopes or []):
        if s in KINDS:
            return KINDS[s]
    return "-"


def check_fixture(path, lines, toks, fails):
    n, src = 0, 0
    for i, text in enumerate(lines):
        if not text.startswith("//~"):
            src = i
            continue
        want = text.split()[-1]
        for c, ch in enumerate(text):
            if ch == "^":
                n += 1
                got = kind_of(toks[src][c] if c < len(toks[src]) else None)
                if got != want:
                    fails.append("%s:%d:%d: want %s, got %s %s" % (
                        path, src + 1, c + 1, want, got, toks[src][c]))
    return n


def plain_code(scopes):
    return not any(s.startswith(("comment", "string", "meta.preprocessor.include"))
                   for s in scopes)


def check_sample(path, lines, toks, fails):
    n = 0
    for kind, pat in SAMPLE_PATTERNS.items():
        for i, text in enumerate(lines):
            for m in re.finditer(pat, text):
                if not plain_code(toks[i][m.start()]):
                    continue
                for c in (m.start(), m.end() - 1):
                    n += 1
                    got = kind_of(toks[i][c])
                    if got != kind:
                        fails.append("%s:%d:%d: want %s, got %s %s" % (
                            path, i + 1, c + 1, kind, got, toks[i][c]))
    return n


def self_test(path, fixture):
    """Without its goc rules the grammar must fail the fixture."""
    bare = Grammar(path)
    bare.g["repository"]["goc"]["patterns"] = []
    with open(fixture) as f:
        text = f.read()
    fails = []
    check_fixture(fixture, text.split("\n"), tokenize(bare, text), fails)
    if not fails:
        print("FAIL: the checker accepted the grammar without its goc rules")
    return bool(fails)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    grammar = Grammar(sys.argv[1])
    fails = []
    if not self_test(sys.argv[1], sys.argv[2]):
        fails.append("self-test")
    for k, path in enumerate(sys.argv[2:]):
        with open(path) as f:
            text = f.read()
        lines = text.split("\n")
        toks = tokenize(grammar, text)
        check = check_fixture if k == 0 else check_sample
        print("%s: checked %d" % (path, check(path, lines, toks, fails)))
    for f in fails:
        print(f)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
