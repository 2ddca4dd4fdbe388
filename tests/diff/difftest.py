#!/usr/bin/env python3
"""difftest.py: differential testing of goc's runtime against Go.

  difftest.py --goc GOC --work DIR [--seed S] [--count N] [--first I]
              [--procs 1,2] [--only I,J...] [--regressions FILE]

Generates N random channel programs (tests/diff/gen.py) from seed S, as one
goc program and one Go program that each run case I when given I, builds
both, runs every case under each GOC_PROCS (and GOMAXPROCS) value and
requires stdout, the first line of stderr and the exit status of goc, Go
and the generator's model to agree.  The only wording mapped is goc's
"all coroutines are asleep" for Go's "all goroutines are asleep"
(docs/language.md, Program model).

Without `go` on PATH it still compares goc with the model, then exits 77
(CTest's skip) saying that the Go side was skipped.  A disagreement prints
the case, the three outcomes and the command that regenerates that case
alone; its sources stay in DIR.  --regressions FILE adds the cases listed
there ("SEED INDEX" lines, # comments) to the run.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

TIMEOUT = 20
DEADLOCK_GOC = 'fatal error: all coroutines are asleep - deadlock!'
DEADLOCK_GO = 'fatal error: all goroutines are asleep - deadlock!'


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line
    return ''


def run(cmd, env):
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return ('', 'timeout after %d s' % TIMEOUT, 'timeout')
    err = first_line(p.stderr.decode(errors='replace'))
    if err == DEADLOCK_GOC:
        err = DEADLOCK_GO
    return (p.stdout.decode(errors='replace'), err, p.returncode)


def build(args, seed, cases, go, tag):
    base = os.path.join(args.work, 'diff_%s' % tag)
    gen.write_programs(seed, cases, base + '.goc', base + '.go')
    t0 = time.time()
    subprocess.run([args.goc, 'build', '-O1', base + '.goc', '-o',
                    base + '_goc'], check=True)
    t1 = time.time()
    if go:
        env = dict(os.environ, GOCACHE=os.path.join(args.work, 'gocache'),
                   GOPATH=os.path.join(args.work, 'gopath'), GO111MODULE='off',
                   GOFLAGS='', GOPROXY='off')
        subprocess.run([go, 'build', '-o', base + '_go', base + '.go'],
                       check=True, env=env, cwd=args.work)
    return base, t1 - t0, time.time() - t1


def show(o):
    return 'exit %s, stderr %r, stdout %r' % (o[2], o[1], o[0])


def check_batch(args, seed, cases, go, tag, stats):
    base, tgoc, tgo = build(args, seed, cases, go, tag)
    stats['build_goc'] += tgoc
    stats['build_go'] += tgo
    bad = []
    for c in cases:
        want = gen.outcome(c)
        stats['programs'] += 1
        stats[{0: 'exit0', 2: 'panic' if want[1].startswith('panic')
               else 'deadlock'}[want[2]]] += 1
        for p in args.procs:
            env = dict(os.environ, GOC_PROCS=str(p), GOMAXPROCS=str(p))
            # no addr2line on PATH: the reports print raw addresses at
            # once instead of symbolizing 500 cases' worth of binary
            got = run([base + '_goc', str(c.index)],
                      dict(env, PATH=os.path.join(args.work, 'nobin')))
            stats['runs_goc'] += 1
            gog = None
            if go:
                gog = run([base + '_go', str(c.index)], env)
                stats['runs_go'] += 1
            if got == want and (gog is None or gog == want):
                stats['agree'] += 1
                continue
            bad.append((seed, c.index, p, want, got, gog))
    return bad


def report_bad(args, bad):
    for seed, idx, p, want, got, gog in bad[:10]:
        print('DISAGREE: seed %d case %d at procs %d' % (seed, idx, p))
        print('  model: ' + show(want))
        print('  goc:   ' + show(got))
        if gog is not None:
            print('  go:    ' + show(gog))
        who = 'goc' if got != want else 'the model'
        if gog is not None and gog == got:
            who = 'the generator (goc and Go agree)'
        print('  suspect: %s' % who)
        print('  alone: %s --goc %s --work %s --seed %d --only %d'
              % (sys.argv[0], args.goc, args.work, seed, idx))
    if len(bad) > 10:
        print('... and %d more' % (len(bad) - 10))


def read_regressions(path):
    out = {}
    if not path:
        return out
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].split()
            if len(line) == 2:
                out.setdefault(int(line[0]), []).append(int(line[1]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--goc', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=100)
    ap.add_argument('--first', type=int, default=0)
    ap.add_argument('--batch', type=int, default=500,
                    help='cases per built program')
    ap.add_argument('--procs', default='1,2')
    ap.add_argument('--only', default='')
    ap.add_argument('--regressions', default='')
    ap.add_argument('--go', default=shutil.which('go') or 'none',
                    help="the go command ('none': compare with the model only)")
    ap.add_argument('--show', action='store_true',
                    help='print the sources of --only cases and stop')
    args = ap.parse_args()
    args.procs = [int(p) for p in args.procs.split(',')]
    os.makedirs(args.work, exist_ok=True)
    go = None if args.go == 'none' else args.go
    if args.only:
        idx = [int(i) for i in args.only.split(',')]
    else:
        idx = list(range(args.first, args.first + args.count))
    jobs = {args.seed: idx} if idx and args.count else {}
    for s, more in read_regressions(args.regressions).items():
        jobs.setdefault(s, [])
        jobs[s] += [i for i in more if i not in jobs[s]]
    if args.show:
        for s, ii in jobs.items():
            for c in gen.generate(s, ii):
                print('\n'.join(c.em.goc + [''] + c.em.go))
                print('expected:', gen.outcome(c))
        return 0
    stats = dict.fromkeys(['programs', 'exit0', 'panic', 'deadlock',
                           'runs_goc', 'runs_go', 'agree', 'build_goc',
                           'build_go'], 0)
    t0 = time.time()
    bad = []
    for s, ii in sorted(jobs.items()):
        for k in range(0, len(ii), args.batch):
            cases = gen.generate(s, ii[k:k + args.batch])
            bad += check_batch(args, s, cases, go, '%d_%d' % (s, k), stats)
    stats['time'] = time.time() - t0
    print('difftest: seeds %s, %d programs (%d exit 0, %d panic, %d deadlock)'
          ', procs %s: %d goc runs, %d go runs, %d of %d agree; build goc '
          '%.1f s, go %.1f s; total %.1f s'
          % (','.join(str(s) for s in sorted(jobs)), stats['programs'],
             stats['exit0'], stats['panic'], stats['deadlock'],
             ','.join(map(str, args.procs)), stats['runs_goc'],
             stats['runs_go'], stats['agree'],
             stats['programs'] * len(args.procs), stats['build_goc'],
             stats['build_go'], stats['time']))
    if bad:
        report_bad(args, bad)
        return 1
    if not go:
        print('SKIPPED the comparison with Go: go is not installed (goc '
              'agreed with the model); install golang-go to run it')
        return 77
    return 0


if __name__ == '__main__':
    sys.exit(main())
