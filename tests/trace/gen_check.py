#!/usr/bin/env python3
"""Generates random but valid execution traces (docs/runtime.md, "Execution
trace"), computes what `goc trace` must report from the generator's own
record of what it scheduled, runs `goc trace` and compares.

usage: gen_check.py GOC WORKDIR [SEEDS]

Each trace: 1 to 6 workers, coroutines from several spawn sites, each
running a few times with random durations (nanosecond resolution) and
blocking for random times and reasons, some still blocked at the end;
instants, flows and events goc trace must ignore; events written in a
shuffled order.  Exit 1 on any difference.
"""
import json
import random
import re
import subprocess
import sys

REASONS = ["chan send", "chan receive", "select", "mutex", "sync", "sleep",
           "fd", "yield", "preempt"]
MARKS = ["create", "steal", "poll", "idle"]
TOP = 8


def us(ns):
    """The format's microseconds with three decimals, exactly ns."""
    return float("%d.%03d" % divmod(ns, 1000))


def ms(ns):
    """goc trace's milliseconds: ns rounded to microseconds, half up."""
    u = (ns + 500) // 1000
    return "%d.%03d" % divmod(u, 1000)


def generate(seed):
    rng = random.Random(seed)
    nw = rng.randint(1, 6)
    sites = ["s%d.goc:%d" % (k, rng.randint(1, 400)) for k in range(rng.randint(1, 5))]
    free = [rng.randint(0, 5000) for _ in range(nw)]  # worker free from, ns
    ev, slices, blocks = [], [], []
    ready = []  # (ready time, id, site, runs left)
    for cid in range(1, rng.randint(2, 40)):
        site = "main" if cid == 1 else rng.choice(sites)
        ready.append((rng.randint(0, 20000), cid, site, rng.randint(1, 6)))
    while ready:
        ready.sort()
        t, cid, site, left = ready.pop(0)
        w = min(range(nw), key=lambda i: free[i])
        start = max(t, free[w]) + rng.randint(0, 3000)
        dur = rng.randint(1, 90000)
        free[w] = start + dur
        left -= 1
        stuck = left == 0 and rng.random() < 0.2
        end = "exit" if left == 0 and not stuck else rng.choice(REASONS)
        args = {"id": cid, "end": end}
        at = None
        if end != "exit":
            at = "%s:%d" % (site if site != "main" else "m.goc", rng.randint(1, 999))
            args["at"] = at
        ev.append({"ph": "X", "cat": "coroutine", "name": site, "pid": 1,
                   "tid": w, "ts": us(start), "dur": us(dur), "args": args})
        slices.append(dict(id=cid, site=site, tid=w, ts=start, dur=dur, end=end, at=at))
        if end != "exit" and not stuck:
            ready.append((start + dur + rng.randint(1, 200000), cid, site, left))
    t1 = max(s["ts"] + s["dur"] for s in slices)
    t0 = min(s["ts"] for s in slices)
    marks = {w: {m: 0 for m in MARKS} for w in range(nw)}
    for _ in range(rng.randint(0, 50)):
        w, m = rng.randrange(nw), rng.choice(MARKS)
        marks[w][m] += 1
        ev.append({"ph": "i", "s": "t", "name": m, "cat": "sched", "pid": 1, "tid": w,
                   "ts": us(rng.randint(t0, t1)), "args": {"n": 1}})
    for fid in range(rng.randint(0, 20)):
        a, b = sorted(rng.randint(t0, t1) for _ in range(2))
        ev.append({"ph": "s", "cat": "unpark", "name": "unpark", "id": fid, "pid": 1,
                   "tid": rng.randrange(nw), "ts": us(a)})
        ev.append({"ph": "f", "bp": "e", "cat": "unpark", "name": "unpark", "id": fid,
                   "pid": 1, "tid": rng.randrange(nw), "ts": us(b)})
    # Events goc trace must ignore.
    ev.append({"ph": "C", "name": "queue", "pid": 1, "tid": 0, "ts": us(t0), "args": {"n": 3}})
    ev.append({"ph": "X", "cat": "other", "name": "gc", "pid": 1, "tid": 0,
               "ts": us(t0), "dur": us(1)})
    ev.append({"ph": "i", "s": "t", "name": "custom", "pid": 1, "tid": 0, "ts": us(t0)})
    for w in range(nw):
        ev.append({"ph": "M", "name": "thread_name", "pid": 1, "tid": w,
                   "args": {"name": "worker %d" % w}})
    rng.shuffle(ev)
    return nw, slices, marks, {"traceEvents": ev}, (t0, t1)


def expected(nw, slices, marks, span):
    t0, t1 = span
    out = {"head": None, "workers": {}, "sites": {}, "blocks": []}
    ids = {s["id"] for s in slices}
    out["head"] = (nw, len(ids), len(slices), ms(t1 - t0))
    for w in range(nw):
        mine = [s for s in slices if s["tid"] == w]
        busy = sum(s["dur"] for s in mine)
        out["workers"]["worker %d" % w] = (ms(busy), len(mine),
                                           marks[w]["create"], marks[w]["steal"],
                                           marks[w]["poll"], marks[w]["idle"])
    per = {}
    blocks = []
    for cid in ids:
        runs = sorted((s for s in slices if s["id"] == cid), key=lambda s: s["ts"])
        site = runs[0]["site"]
        d = per.setdefault(site, {"n": 0, "run": 0, "blocked": 0, "reasons": {},
                                  "stuck": 0})
        d["n"] += 1
        for i, s in enumerate(runs):
            d["run"] += s["dur"]
            if s["end"] == "exit":
                continue
            until = runs[i + 1]["ts"] if i + 1 < len(runs) else t1
            b = until - (s["ts"] + s["dur"])
            d["blocked"] += b
            r = d["reasons"].setdefault(s["end"], [0, 0])
            r[0] += b
            r[1] += 1
            d["stuck"] += i + 1 == len(runs)
            blocks.append((-b, s["ts"] + s["dur"], s["end"], s["at"], cid, site,
                           i + 1 == len(runs)))
    for site, d in per.items():
        out["sites"][site] = (d["n"], ms(d["run"]), ms(d["blocked"]),
                              {k: (ms(v[0]), v[1]) for k, v in d["reasons"].items()},
                              d["stuck"])
    blocks.sort()
    out["blocks"] = [(ms(-b[0]), b[2], b[3], b[4], b[5], b[6]) for b in blocks[:TOP]]
    out["order"] = sorted(per, key=lambda k: (-(per[k]["run"] + per[k]["blocked"]), k))
    return out


def parse(text):
    out = {"head": None, "workers": {}, "sites": {}, "blocks": [], "order": []}
    m = re.match(r"trace \S+: (\d+) workers?, (\d+) coroutines?, (\d+) slices, (\S+) ms", text)
    out["head"] = (int(m[1]), int(m[2]), int(m[3]), m[4])
    section, site = None, None
    for line in text.split("\n")[1:]:
        if line.startswith("workers"):
            section = "w"
        elif line.startswith("spawn sites"):
            section = "s"
        elif line.startswith("longest blocks"):
            section = "b"
        elif section == "w" and line.strip():
            f = line.split()
            out["workers"][" ".join(f[:2])] = (f[2], *map(int, f[4:9]))
        elif section == "s" and line.strip() and not line.split()[0] == "site":
            m = re.match(r"\s+blocked on (.+?)\s+(\d+\.\d{3})\s+(\d+) times?$", line)
            if m:
                out["sites"][site][3][m[1]] = (m[2], int(m[3]))
                continue
            m = re.match(r"\s+(\d+) coroutines? still blocked at the end$", line)
            if m:
                s = out["sites"][site]
                out["sites"][site] = s[:4] + (int(m[1]),)
                continue
            f = line.split()
            site = f[0]
            out["order"].append(site)
            out["sites"][site] = (int(f[1]), f[2], f[3], {}, 0)
        elif section == "b" and line.strip() and not line.split()[0] == "blocked":
            m = re.match(r"\s+(\d+\.\d{3})\s+(.+?)\s+(\S+)\s+(\d+)\s+(\S+)( +\(until the end\))?$", line)
            out["blocks"].append((m[1], m[2], m[3], int(m[4]), m[5], bool(m[6])))
    return out


def main():
    goc, work = sys.argv[1], sys.argv[2]
    seeds = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    fails = 0
    for seed in range(seeds):
        nw, slices, marks, doc, span = generate(seed)
        path = "%s/gen%d.json" % (work, seed)
        with open(path, "w") as f:
            json.dump(doc, f, indent=None if seed % 2 else 1)
        r = subprocess.run([goc, "trace", "--top", str(TOP), path],
                           capture_output=True, text=True)
        want = expected(nw, slices, marks, span)
        if r.returncode != 0 or r.stderr:
            print("FAIL seed %d: status %d, stderr %s" % (seed, r.returncode, r.stderr))
            fails += 1
            continue
        got = parse(r.stdout)
        # Equal blocks may be listed in either order only if they tie on
        # time too; the generator's times make that practically impossible.
        for key in ("head", "workers", "sites", "order", "blocks"):
            if got[key] != want[key]:
                print("FAIL seed %d: %s\n  want %s\n  got  %s" % (seed, key, want[key], got[key]))
                fails += 1
    print("%d traces checked, %d differences" % (seeds, fails))
    sys.exit(1 if fails else 0)


if __name__ == "__main__":
    main()
