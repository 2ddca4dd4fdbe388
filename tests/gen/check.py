#!/usr/bin/env python3
"""check.py - build and run the programs of tests/gen/gocgen.py.

    check.py --goc GOC --work DIR [--first N] [--count K] [--seeds FILE]
             [--cc CC ...] [--jobs J] [--keep] [--run-all]
    check.py --goc GOC --work DIR --self-test

For each seed: generate the program, build it with the first C compiler
(`goc build -O1 -Wall -Wextra -Werror`, gcc by default) and check the
generated C with each other one (`-fsyntax-only`, clang by default: it
must be warning-free under both), then run the program at GOC_PROCS=1 and
2 with a time limit: it must print "ok" and exit 0 (it checks its own
results against the generator's).  --run-all builds and runs every
compiler's program (the first at GOC_PROCS=1 and 2, the others at 2).  A failing seed is kept under DIR with the command that
reproduces it; the others are removed.  --seeds FILE reads seeds, one a
line ('#' starts a comment): the regression seeds.  --self-test checks
that the check can fail: a program whose expected value was changed must
exit 1 and name the call.  Exit status: 0 when every seed passed.
"""
import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gocgen  # noqa: E402

RUN_LIMIT = 60  # seconds for one program to end; they take milliseconds


def sh(cmd, env=None, timeout=300):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout + p.stderr


WARN = ["-Wall", "-Wextra", "-Werror"]


def run(exe, procs):
    """None when exe printed "ok" and exited 0 at GOC_PROCS=procs."""
    env = dict(os.environ, GOC_PROCS=str(procs))
    try:
        rc, out = sh([exe], env=env, timeout=RUN_LIMIT)
    except subprocess.TimeoutExpired:
        return "%s at GOC_PROCS=%d did not end within %d s (deadlock?)" % (
            exe, procs, RUN_LIMIT)
    if rc != 0 or out.strip() != "ok":
        return "%s at GOC_PROCS=%d exited %d:\n%s" % (exe, procs, rc, out)
    return None


def build_and_run(args, seed, src, ccs):
    """None when the seed passed, else what went wrong."""
    for i, cc in enumerate(ccs):
        env = dict(os.environ, GOC_CC=cc)
        exe = "%s.%s" % (src[:-4], os.path.basename(cc))
        build = i == 0 or args.run_all
        out_args = ["-O1", "-o", exe] if build else ["-fsyntax-only"]
        rc, out = sh([args.goc, "build"] + WARN + out_args + [src], env=env)
        if rc != 0:
            return "GOC_CC=%s goc build failed (%d):\n%s" % (cc, rc, out)
        for procs in ((1, 2) if i == 0 else (2,)) if build else ():
            why = run(exe, procs)
            if why:
                return why
    return None


def check_seed(args, seed, ccs):
    src = os.path.join(args.work, "gen%d.goc" % seed)
    with open(src, "w") as f:
        f.write(gocgen.Gen(seed).program())
    why = build_and_run(args, seed, src, ccs)
    if why is None and not args.keep:
        for name in os.listdir(args.work):
            if name.startswith("gen%d." % seed):
                os.remove(os.path.join(args.work, name))
    return seed, why


def read_seeds(path):
    seeds = []
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                seeds.append(int(line))
    return seeds


def self_test(args, ccs):
    """A changed expected value must make the program fail, naming it."""
    text = gocgen.Gen(1).program()
    head, sep, tail = text.partition("static const struct call calls[] = {\n")
    first, nl, rest = tail.partition("\n")
    fields = first.strip(" {},").split(",")
    fields[3] = " %d" % (int(fields[3]) + 1)
    bad = head + sep + "    {%s},%s%s" % (",".join(fields), nl, rest)
    src = os.path.join(args.work, "selftest.goc")
    with open(src, "w") as f:
        f.write(bad)
    exe = os.path.join(args.work, "selftest")
    rc, out = sh([args.goc, "build", "-O1", src, "-o", exe],
                 env=dict(os.environ, GOC_CC=ccs[0]))
    if rc != 0:
        print("self-test: build failed:\n" + out)
        return 1
    rc, out = sh([exe], timeout=RUN_LIMIT)
    if rc != 1 or "want" not in out or "ok" in out.split():
        print("self-test: a wrong expected value went unnoticed (exit %d):\n%s"
              % (rc, out))
        return 1
    print("self-test: the changed value was reported: " + out.strip())
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--goc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--seeds", help="a file of seeds, one a line")
    ap.add_argument("--cc", action="append", help="C compilers (gcc, clang)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--run-all", action="store_true",
                    help="build and run every compiler's program")
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    sys.setrecursionlimit(10000)
    os.makedirs(args.work, exist_ok=True)
    ccs = [c for c in (args.cc or ["gcc", "clang"]) if shutil.which(c)]
    if not ccs:
        print("no C compiler found")
        return 1
    if args.self_test:
        return self_test(args, ccs)
    seeds = (read_seeds(args.seeds) if args.seeds
             else range(args.first, args.first + args.count))
    t0, failed = time.time(), []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for seed, why in pool.map(lambda s: check_seed(args, s, ccs), seeds):
            if why:
                failed.append(seed)
                print("FAIL: seed %d: %s" % (seed, why))
                print("  reproduce: python3 %s %d -o gen%d.goc && goc build "
                      "-Wall -Wextra -Werror gen%d.goc -o gen && ./gen"
                      % (os.path.join(os.path.dirname(__file__), "gocgen.py"),
                         seed, seed, seed))
    n = len(seeds)
    print("%d seeds (%s), %s: %d passed, %d failed, %.1f s" % (
        n, "%d..%d" % (seeds[0], seeds[-1]) if n else "none", "+".join(
            os.path.basename(c) for c in ccs), n - len(failed), len(failed),
        time.time() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
