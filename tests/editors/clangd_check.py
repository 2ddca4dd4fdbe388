#!/usr/bin/env python3
"""clangd on .goc files with goc's setup (docs/editors.md): the .clangd in
the working directory adds -xc and -include goc-clangd.h and hides clang's
diagnostics in .goc/.goh files.

usage: clangd_check.py CLANGD WORKDIR

WORKDIR holds .clangd and copies of the samples.  Over the language server
protocol, as an editor would: opens worker_pool.goc, expects no published
diagnostics, and asks for the definition of names whose declarations use
chan(T), make(...) and go (they parse only with the header).  Exit 1 on a
failure.
"""
import json
import os
import subprocess
import sys


class Server:
    def __init__(self, clangd, root):
        self.p = subprocess.Popen([clangd, "--log=error", "--background-index=false"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  cwd=root)
        self.next_id = 0

    def send(self, method, params, notify=False):
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if not notify:
            self.next_id += 1
            msg["id"] = self.next_id
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()
        return msg.get("id")

    def read(self):
        n = 0
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit("clangd exited")
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        return json.loads(self.p.stdout.read(n))

    def wait(self, want_id=None, method=None):
        while True:
            m = self.read()
            if want_id is not None and m.get("id") == want_id and "method" not in m:
                return m
            if method and m.get("method") == method:
                return m


def find(lines, line_no, word):
    """0-based position of word on 1-based line line_no."""
    col = lines[line_no - 1].index(word)
    return {"line": line_no - 1, "character": col}


def main():
    clangd, root = sys.argv[1], os.path.abspath(sys.argv[2])
    path = os.path.join(root, "worker_pool.goc")
    uri = "file://" + path
    text = open(path).read()
    lines = text.split("\n")
    s = Server(clangd, root)
    s.wait(s.send("initialize", {"processId": os.getpid(), "rootUri": "file://" + root,
                                 "capabilities": {}}))
    s.send("initialized", {}, notify=True)
    s.send("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "c", "version": 1, "text": text}}, notify=True)
    diags = s.wait(method="textDocument/publishDiagnostics")["params"]["diagnostics"]
    fails = []
    if diags:
        fails.append("diagnostics published: %s" % [d["message"] for d in diags])
    # (line where used, name, line where it is declared)
    wanted = [(23, "jobs", 18),      # chan(struct job) jobs = make(...)
              (21, "worker", 10),    # go worker(...); worker has chan params
              (24, "jobs", 18),
              (30, "r", 29),         # struct result r = <-results;
              (31, "per_worker", 27)]
    for use, name, decl in wanted:
        r = s.wait(s.send("textDocument/definition", {
            "textDocument": {"uri": uri}, "position": find(lines, use, name)}))
        got = [loc["range"]["start"]["line"] + 1 for loc in r.get("result") or []]
        print("definition of %s on line %d: %s" % (name, use, got or "none"))
        if decl not in got:
            fails.append("definition of %s on line %d: want line %d, got %s"
                         % (name, use, decl, got))
    s.send("shutdown", None)
    s.send("exit", None, notify=True)
    s.p.wait(timeout=30)
    for f in fails:
        print("FAIL:", f)
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
