#!/usr/bin/env python3
"""check_trace.py TRACE.json SOURCE.goc PROCS

Checks a GOC_TRACE file of known.goc (docs/runtime.md, "Execution
trace"): the JSON parses; every worker has a named track; slices on one
track never overlap; each coroutine's runs are consistent: a run that
ended parked is followed by an unpark of that coroutine (an "s" flow
event) and then by its next run, which starts with the matching "f",
unless the program ended first; a run ended by yield, go or preempt is
followed by another run or the program's end; every flow's "f" has an
earlier "s"; each coroutine is created before it first runs; every steal
says from whom and how many; and the spawn sites and the park reasons
known.goc must produce (chan receive, sleep, mutex, waitgroup) are there.
"""
import json
import re
import sys

EPS = 0.0015  # microseconds: the format's three decimals, rounded
PARKS = {"chan send", "chan receive", "select", "mutex", "rwmutex read",
         "rwmutex", "cond", "semaphore", "waitgroup", "sleep", "fd"}


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    path, src, procs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path) as f:
        doc = json.load(f)
    evs = doc["traceEvents"]
    names = {e["tid"]: e["args"]["name"] for e in evs
             if e["ph"] == "M" and e["name"] == "thread_name"}
    for w in range(procs):
        if names.get(w) != "worker %d" % w:
            fail("no track for worker %d: %r" % (w, names))
    if doc["otherData"]["procs"] != procs:
        fail("otherData.procs is %r" % doc["otherData"]["procs"])

    slices = [e for e in evs if e["ph"] == "X"]
    by_tid = {}
    for s in slices:
        by_tid.setdefault(s["tid"], []).append(s)
    for tid, ss in by_tid.items():
        if tid not in names:
            fail("slices on unnamed track %d" % tid)
        ss.sort(key=lambda s: s["ts"])
        for a, b in zip(ss, ss[1:]):
            if a["ts"] + a["dur"] > b["ts"] + EPS:
                fail("overlapping slices on track %d: %r %r" % (tid, a, b))

    starts = {e["id"]: e for e in evs if e["ph"] == "s"}
    finishes = {e["id"]: e for e in evs if e["ph"] == "f"}
    for fid, f in finishes.items():
        s = starts.get(fid)
        if s is None or s["ts"] > f["ts"] + EPS or s["args"]["id"] != f["args"]["id"]:
            fail("flow %d: finish without an earlier start for the same coroutine" % fid)
    unparks = {}
    for s in starts.values():
        unparks.setdefault(s["args"]["id"], []).append(s["ts"])
    flow_at = {(f["args"]["id"], f["ts"]) for f in finishes.values()}

    created = {e["args"]["id"]: e for e in evs
               if e["ph"] == "i" and e["name"] == "create"}
    runs = {}
    for s in slices:
        runs.setdefault(s["args"]["id"], []).append(s)
    for g, rs in runs.items():
        rs.sort(key=lambda s: s["ts"])
        if g != 1 and (g not in created or created[g]["ts"] > rs[0]["ts"] + EPS):
            fail("coroutine %d runs before it is created" % g)
        for a, b in zip(rs, rs[1:]):
            end = a["args"]["end"]
            if end in ("exit", "running"):
                fail("coroutine %d ran again after %r" % (g, end))
            if a["ts"] + a["dur"] > b["ts"] + EPS:
                fail("coroutine %d runs twice at once" % g)
            if end in PARKS:
                t0, t1 = a["ts"] + a["dur"] - EPS, b["ts"] + EPS
                if not any(t0 <= t <= t1 for t in unparks.get(g, [])):
                    fail("coroutine %d parked (%s) at %.3f and ran at %.3f "
                         "without an unpark" % (g, end, a["ts"] + a["dur"], b["ts"]))
                if (g, b["ts"]) not in flow_at:
                    fail("coroutine %d's run at %.3f has no flow arrow" % (g, b["ts"]))
            elif end not in ("yield", "go", "preempt"):
                fail("coroutine %d: unknown end %r" % (g, end))

    base = src.rsplit("/", 1)[-1]
    sites = {}
    with open(src) as f:
        for n, line in enumerate(f, 1):
            m = re.search(r"SITE:(\w+)", line)
            if m:
                sites[m.group(1)] = "%s:%d" % (base, n)
    for what, site in sites.items():
        got = [s for s in slices if s["name"].endswith(site)]
        if not got:
            fail("no run of the %s (%s)" % (what, site))
        if not any(c["args"]["site"].endswith(site) for c in created.values()):
            fail("no create event for the %s (%s)" % (what, site))
    prod = [s["args"]["end"] for s in slices if s["name"].endswith(sites["producer"])]
    if "chan send" not in prod or prod[-1] != "exit":
        fail("producer runs end %r, want chan send parks and an exit" % prod)
    mains = [s["args"]["end"] for s in runs[1]]
    for want in ("chan receive", "sleep", "waitgroup"):
        if want not in mains:
            fail("main never parked on %s: %r" % (want, mains))
    lock = [s["args"]["end"] for s in slices if s["name"].endswith(sites["locker"])]
    if lock[:1] != ["mutex"]:
        fail("the locker's first run ended %r, want a mutex park" % lock[:1])
    for e in evs:
        if e["ph"] == "i" and e["name"] == "steal":
            n = e["args"].get("n")
            if not isinstance(n, int) or n < 1 or "from" not in e["args"]:
                fail("steal without a count or a victim: %r" % e)
    if procs == 1:
        spin = [s["args"]["end"] for s in slices if s["name"].endswith(sites["spinner"])]
        pre = [e for e in evs if e["ph"] == "i" and e["name"] == "preempt"]
        if "preempt" not in spin or not pre:
            fail("the spinner was never preempted: %r" % spin)
    print("ok: %d events, %d runs, %d coroutines" % (len(evs), len(slices), len(runs)))


main()
