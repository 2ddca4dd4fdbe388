#!/usr/bin/env python3
"""gen.py: random channel programs whose outcome cannot depend on scheduling,
emitted as goc and as Go, with the outcome a model of Go's channel semantics
predicts (tests/README.md, "Differential testing against Go").

A program ("case") is a sequence of episodes run by main:

  op       one channel operation by main alone (make, nil, alias, send,
           receive in three forms, close, len/cap, range, select with or
           without default, zombie coroutines blocked on a nil channel);
  handoff  main starts a coroutine, which runs such operations (and may
           itself hand off) while main waits on an unbuffered channel;
  script   one or two coroutines and main meet in lockstep: each step is
           one operation on each side (send/receive, close/receive,
           close/send) on a channel no other step of the episode touches,
           as a plain statement or a select whose other cases can never be
           ready; nobody prints until every coroutine has reported back;
  fan      two to four coroutines on fresh channels, where only totals are
           deterministic and printed: fan-in (all send on one channel,
           the parent counts and sums), fan-out (the parent sends, then
           closes; workers drain with `for (T v : c)`, or merge two
           channels in a select that sets a closed one to nil, and report
           counts and sums), close broadcast (workers parked receiving,
           the parent sends to some and closes: the rest get zero, not ok).

Operations whose result would depend on timing are never generated: a
select has at most one ready case; a select with default never looks at a
channel another coroutine could be using.  Blocking for ever or panicking
ends the case (a deadlock or a panic is the expected outcome), so at most
one of them happens, at the end.

The model tracks every channel object (nil, or capacity, buffer, closed)
and the expected stdout; the runner compares both programs with it and
with each other.  Case I of seed S depends only on (S, I).
"""
import random

NCHAN = 5          # globals c0..c4
MAX_DEPTH = 2      # handoff nesting


class Chan:
    def __init__(self, cap):
        self.cap = cap
        self.buf = []
        self.closed = False


class Terminal(Exception):
    """The case ends here: kind is 'panic' (with msg) or 'deadlock'."""

    def __init__(self, kind, msg=''):
        super().__init__(kind)
        self.kind = kind
        self.msg = msg


class Emitter:
    """Two programs written side by side, one line each at a time."""

    def __init__(self):
        self.goc = []
        self.go = []
        self.ind = 1

    def line(self, goc, go):
        pad = '    ' * self.ind
        if goc is not None:
            self.goc.append(pad + goc)
        if go is not None:
            self.go.append(pad + go)

    def open(self, goc, go):
        self.line(goc, go)
        self.ind += 1

    def close(self, goc='}', go='}'):
        self.ind -= 1
        self.line(goc, go)


def recv_ready(ch):
    return ch is not None and (ch.buf or ch.closed)


def send_ready(ch):
    """Ready in a select: room in the buffer, or closed (then it panics)."""
    return ch is not None and (ch.closed or len(ch.buf) < ch.cap)


def do_recv(ch):
    """The model's receive on a ready channel: (value, ok)."""
    if ch.buf:
        return ch.buf.pop(0), 1
    return 0, 0


def do_send(ch, val):
    if ch.closed:
        raise Terminal('panic', 'send on closed channel')
    ch.buf.append(val)


def do_close(ch):
    if ch is None:
        raise Terminal('panic', 'close of nil channel')
    if ch.closed:
        raise Terminal('panic', 'close of closed channel')
    ch.closed = True


class Case:
    """One generated case: code for both languages plus the expected result."""

    def __init__(self, rng, index):
        self.rng = rng
        self.index = index
        self.st = [None] * NCHAN
        self.em = Emitter()
        self.out = []
        self.uid = 0
        self.term = None

    # ---- helpers -------------------------------------------------------
    def fresh(self):
        self.uid += 1
        return self.uid

    def val(self):
        return self.rng.randint(1, 99)

    def pr(self, fmt, *args):
        """printf in goc, fmt.Printf in Go; args are (goc, go) pairs."""
        ga = ''.join(', ' + a for a, _ in args)
        oa = ''.join(', ' + b for _, b in args)
        self.em.line('printf("%s\\n"%s);' % (fmt, ga),
                     'fmt.Printf("%s\\n"%s)' % (fmt.replace('%ld', '%d'),
                                                oa))

    def allows_term(self):
        return self.rng.random() < 0.04

    # ---- single operations by one coroutine --------------------------
    def op(self, depth):
        """One operation by the coroutine at `depth` (0 is main), alone."""
        r = self.rng.random()
        kinds = [('make', 14), ('nil', 2), ('alias', 3), ('send', 16),
                 ('recv', 16), ('close', 6), ('lencap', 6), ('range', 3),
                 ('select', 16), ('zombie', 2), ('makeneg', 1)]
        total = sum(w for _, w in kinds)
        r *= total
        for kind, w in kinds:
            if r < w:
                break
            r -= w
        for _ in range(20):
            if getattr(self, 'op_' + kind)(depth, self.allows_term()):
                return
            kind = self.rng.choice(['send', 'recv', 'select', 'lencap',
                                    'make'])
        self.op_lencap(depth, False)

    def v(self, depth):
        return 'v%d' % depth, 'ok%d' % depth

    def op_make(self, depth, term):
        i = self.rng.randrange(NCHAN)
        n = self.rng.choice([0, 0, 1, 1, 2, 3])
        if n == 0 and self.rng.random() < 0.5:
            self.em.line('c%d = make(chan(int));' % i,
                         'c%d = make(chan int)' % i)
        else:
            self.em.line('c%d = make(chan(int), %d);' % (i, n),
                         'c%d = make(chan int, %d)' % (i, n))
        self.st[i] = Chan(n)
        return True

    def op_makeneg(self, depth, term):
        if not term and self.rng.random() > 0.2:
            return False
        i = self.rng.randrange(NCHAN)
        self.em.line('c%d = make(chan(int), neg());' % i,
                     'c%d = make(chan int, neg())' % i)
        raise Terminal('panic', 'makechan: size out of range')

    def op_nil(self, depth, term):
        i = self.rng.randrange(NCHAN)
        self.em.line('c%d = 0;' % i, 'c%d = nil' % i)
        self.st[i] = None
        return True

    def op_alias(self, depth, term):
        i, j = self.rng.randrange(NCHAN), self.rng.randrange(NCHAN)
        self.em.line('c%d = c%d;' % (i, j), 'c%d = c%d' % (i, j))
        self.st[i] = self.st[j]
        return True

    def op_send(self, depth, term):
        i = self.rng.randrange(NCHAN)
        ch = self.st[i]
        blocks = ch is None or (not ch.closed and len(ch.buf) >= ch.cap)
        if (blocks or (ch is not None and ch.closed)) and not term:
            return False
        x = self.val()
        self.em.line('c%d <- %d;' % (i, x), 'c%d <- %d' % (i, x))
        if blocks:
            raise Terminal('deadlock')
        do_send(ch, x)
        return True

    def op_recv(self, depth, term):
        i = self.rng.randrange(NCHAN)
        ch = self.st[i]
        if not recv_ready(ch) and not term:
            return False
        v, ok = self.v(depth)
        form = self.rng.randrange(3)
        if form == 0:
            self.em.line('%s = <-c%d;' % (v, i), '%s = <-c%d' % (v, i))
        elif form == 1:
            self.em.line('%s, %s = <-c%d;' % (v, ok, i),
                         '%s, %s = <-c%d' % (v, ok, i))
        else:
            self.em.line('<-c%d;' % i, '<-c%d' % i)
        if not recv_ready(ch):
            raise Terminal('deadlock')
        x, k = do_recv(ch)
        if form == 0:
            self.pr('r %d', (v, v))
            self.out.append('r %d' % x)
        elif form == 1:
            self.pr('rk %d %d', (v, v), (ok, 'b2i(%s)' % ok))
            self.out.append('rk %d %d' % (x, k))
        return True

    def op_close(self, depth, term):
        i = self.rng.randrange(NCHAN)
        ch = self.st[i]
        if (ch is None or ch.closed) and not term:
            return False
        self.em.line('close(c%d);' % i, 'close(c%d)' % i)
        do_close(ch)
        return True

    def op_lencap(self, depth, term):
        i = self.rng.randrange(NCHAN)
        ch = self.st[i]
        self.pr('len %ld cap %ld', ('len(c%d)' % i, 'len(c%d)' % i),
                ('cap(c%d)' % i, 'cap(c%d)' % i))
        self.out.append('len %d cap %d' % ((len(ch.buf), ch.cap) if ch
                                           else (0, 0)))
        return True

    def op_range(self, depth, term):
        i = self.rng.randrange(NCHAN)
        ch = self.st[i]
        if ch is not None and not ch.closed and not term:
            self.em.line('close(c%d);' % i, 'close(c%d)' % i)
            ch.closed = True
        if (ch is None or not ch.closed) and not term:
            return False
        x = 'x%d' % self.fresh()
        self.em.open('for (int %s : c%d)' % (x, i),
                     'for %s := range c%d {' % (x, i))
        self.pr('it %d', (x, x))
        self.em.close(None, '}')
        self.pr('re')
        if ch is None:
            raise Terminal('deadlock')
        while ch.buf:
            self.out.append('it %d' % ch.buf.pop(0))
        if not ch.closed:
            raise Terminal('deadlock')
        self.out.append('re')
        return True

    def op_zombie(self, depth, term):
        """A coroutine that blocks for ever on a nil channel or select {}."""
        if self.rng.random() < 0.5:
            self.em.line('go { chan(int) z = 0; z <- 1; }',
                         'go func() { var z chan int; z <- 1 }()')
        else:
            self.em.line('go { select {} }', 'go func() { select {} }()')
        return True

    def op_select(self, depth, term):
        ncase = self.rng.choice([0, 1, 1, 2, 2, 3, 3, 4])
        dflt = self.rng.random() < 0.5
        if ncase == 0 and not dflt:
            if not term:
                return False
            self.em.line('select {}', 'select {}')
            raise Terminal('deadlock')
        for _ in range(10):
            cases = [(self.rng.choice('rrkdws'), self.rng.randrange(NCHAN),
                      self.val()) for _ in range(ncase)]
            ready = [k for k, (kind, i, _) in enumerate(cases)
                     if (recv_ready(self.st[i]) if kind != 's'
                         else send_ready(self.st[i]))]
            if len(ready) > 1:
                continue
            panics = ready and cases[ready[0]][0] == 's' and \
                self.st[cases[ready[0]][1]].closed
            if (panics or (not ready and not dflt)) and not term:
                continue
            break
        else:
            return False
        self.emit_select(depth, cases, dflt)
        if not ready:
            if not dflt:
                raise Terminal('deadlock')
            self.out.append('sd')
            return True
        k = ready[0]
        kind, i, x = cases[k]
        ch = self.st[i]
        if kind == 's':
            do_send(ch, x)
            self.out.append('s%d' % k)
        else:
            got, ok = do_recv(ch)
            self.out.append({'r': 's%d' % k, 'k': 's%d %d' % (k, got),
                             'd': 's%d %d' % (k, got),
                             'w': 's%d %d %d' % (k, got, ok)}[kind])
        return True

    def emit_select(self, depth, cases, dflt):
        v, ok = self.v(depth)
        self.em.open('select {', 'select {')
        for k, (kind, i, x) in enumerate(cases):
            if kind == 's':
                self.em.line('case c%d <- %d:' % (i, x),
                             'case c%d <- %d:' % (i, x))
                self.pr('s%d' % k)
            elif kind == 'r':
                self.em.line('case <-c%d:' % i, 'case <-c%d:' % i)
                self.pr('s%d' % k)
            elif kind == 'k':
                self.em.line('case %s = <-c%d:' % (v, i),
                             'case %s = <-c%d:' % (v, i))
                self.pr('s%d %%d' % k, (v, v))
            elif kind == 'd':
                y = 'y%d' % self.fresh()
                self.em.line('case int %s = <-c%d:' % (y, i),
                             'case %s := <-c%d:' % (y, i))
                self.pr('s%d %%d' % k, (y, y))
            else:
                self.em.line('case %s, %s = <-c%d:' % (v, ok, i),
                             'case %s, %s = <-c%d:' % (v, ok, i))
                self.pr('s%d %%d %%d' % k, (v, v), (ok, 'b2i(%s)' % ok))
        if dflt:
            self.em.line('default:', 'default:')
            self.pr('sd')
        self.em.close()

    # ---- handoff: a coroutine works while its parent waits -------------
    def handoff(self, depth):
        d = 'd%d' % self.fresh()
        w = depth + 1
        v, ok = self.v(w)
        self.em.open('{', '{')
        self.em.line('chan(int) %s = make(chan(int));' % d,
                     '%s := make(chan int)' % d)
        self.em.open('go {', 'go func() {')
        self.em.line('int %s = 0, %s = 0; (void)%s; (void)%s;'
                     % (v, ok, v, ok),
                     'var %s int; var %s bool; _ = %s; _ = %s'
                     % (v, ok, v, ok))
        try:
            for _ in range(self.rng.randint(1, 5)):
                self.episode(w)
        finally:
            # close the text even when the body ended the case, so that
            # both programs still compile
            self.em.line('%s <- 1;' % d, '%s <- 1' % d)
            self.em.close('}', '}()')
            self.em.line('<-%s;' % d, '<-%s' % d)
            self.em.close()

    # ---- script: coroutines and their parent meet in lockstep --------
    def script(self, depth):
        nworkers = self.rng.choice([1, 1, 2])
        used = set()          # id() of channel objects taken by a step/filler
        steps = []            # (worker, chan index, role, self_sel, w_sel)
        for wk in range(nworkers):
            for _ in range(self.rng.randint(1, 3)):
                st = self.pick_step(wk, used, last=False)
                if st:
                    steps.append(st)
        if not steps:
            return self.op(depth)
        if self.rng.random() < 0.15:
            wk = self.rng.randrange(nworkers)
            st = self.pick_step(wk, used, last=True)
            if st:
                steps.append(st)
        # the terminal step (if any) was appended last; keep it last in
        # main's order, interleave the rest keeping each worker's order
        order = self.merge(steps, nworkers)
        self.emit_script(depth, steps, order, nworkers, used)

    def pick_step(self, wk, used, last):
        for _ in range(10):
            i = self.rng.randrange(NCHAN)
            ch = self.st[i]
            if id(ch) in used and ch is not None:
                continue
            roles = ['sr', 'rs', 'cr', 'rc']   # (parent, worker)
            if last:
                roles += ['cs', 'sc']
            role = self.rng.choice(roles)
            term = self.step_terminal(ch, role)
            if term is None:
                continue          # timing-dependent: not generated
            if term and not last:
                continue
            if last and not term:
                continue
            if ch is not None:
                used.add(id(ch))
            else:
                used.add(('nil', i))
            return (wk, i, role, self.rng.random() < 0.4,
                    self.rng.random() < 0.4, self.val())
        return None

    @staticmethod
    def step_terminal(ch, role):
        """True if this step ends the case, False if not, None if its
        outcome would depend on timing."""
        if set(role) == {'s', 'r'}:
            return ch is None or ch.closed
        if set(role) == {'c', 'r'}:
            return ch is None or ch.closed
        # close against send: the send must be unable to complete first
        if ch is None or ch.closed:
            return None
        return True if ch.cap == 0 or len(ch.buf) >= ch.cap else None

    def merge(self, steps, nworkers):
        last = steps[-1] if self.step_terminal(
            self.st[steps[-1][1]], steps[-1][2]) else None
        body = steps[:-1] if last else steps[:]
        queues = [[s for s in body if s[0] == wk] for wk in range(nworkers)]
        order = []
        while any(queues):
            q = self.rng.choice([q for q in queues if q])
            order.append(q.pop(0))
        if last:
            order.append(last)
        return order

    def fillers(self, kind, used, n):
        """Cases that can never be ready during the episode: (kind, chan)."""
        out = []
        for _ in range(n):
            i = self.rng.randrange(NCHAN)
            ch = self.st[i]
            if ch is not None and (id(ch) in used or ch.closed):
                continue
            k = self.rng.choice(kind)
            if k == 's' and ch is not None and len(ch.buf) < ch.cap:
                continue
            if k != 's' and ch is not None and ch.buf:
                continue
            if ch is not None:
                used.add(id(ch))
            out.append((k, i))
        return out

    def emit_side(self, role, i, x, sel, res, used, depth_vars):
        """One side of a step. role: s(end), r(eceive), c(lose).  res: the
        (value, ok) variables a receive stores into."""
        rv, rok = res
        v, ok = depth_vars
        if role == 'c':
            self.em.line('close(c%d);' % i, 'close(c%d)' % i)
            return
        if not sel:
            if role == 's':
                self.em.line('c%d <- %d;' % (i, x), 'c%d <- %d' % (i, x))
            else:
                self.em.line('%s, %s = <-c%d;' % (v, ok, i),
                             '%s, %s = <-c%d' % (v, ok, i))
                self.em.line('%s = %s; %s = %s;' % (rv, v, rok, ok),
                             '%s = %s; %s = b2i(%s)' % (rv, v, rok, ok))
            return
        fill = self.fillers('rs', used, self.rng.randint(1, 3))
        cases = [('step', i)] + fill
        self.rng.shuffle(cases)
        self.em.open('select {', 'select {')
        for kind, j in cases:
            if kind == 'step' and role == 's':
                self.em.line('case c%d <- %d:' % (j, x),
                             'case c%d <- %d:' % (j, x))
            elif kind == 'step':
                self.em.line('case %s, %s = <-c%d:' % (v, ok, j),
                             'case %s, %s = <-c%d:' % (v, ok, j))
                self.em.line('%s = %s; %s = %s;' % (rv, v, rok, ok),
                             '%s = %s; %s = b2i(%s)' % (rv, v, rok, ok))
            elif kind == 's':
                self.em.line('case c%d <- %d:' % (j, self.val()),
                             'case c%d <- %d:' % (j, self.val()))
                self.em.line('%s = -999;' % rv, '%s = -999' % rv)
            else:
                self.em.line('case <-c%d:' % j, 'case <-c%d:' % j)
                self.em.line('%s = -999;' % rv, '%s = -999' % rv)
        self.em.close()

    def emit_script(self, depth, steps, order, nworkers, used):
        u = self.fresh()
        w = depth + 1
        pv = self.v(depth)
        wv = self.v(w)
        self.em.open('{', '{')
        dn = ['e%d_%d' % (u, k) for k in range(nworkers)]
        for d in dn:
            self.em.line('chan(int) %s = make(chan(int));' % d,
                         '%s := make(chan int)' % d)
        # parent's result variables: one (value, ok) pair per step
        pres = {id(s): ('m%d_%d' % (u, n), 'n%d_%d' % (u, n))
                for n, s in enumerate(steps)}
        for a, b in pres.values():
            self.em.line('int %s = 0, %s = 0;' % (a, b),
                         'var %s, %s int; _, _ = %s, %s' % (a, b, a, b))
        for wk in range(nworkers):
            mine = [s for s in steps if s[0] == wk]
            self.em.open('go {', 'go func() {')
            self.em.line('int %s = 0, %s = 0; (void)%s; (void)%s;'
                         % (wv[0], wv[1], wv[0], wv[1]),
                         'var %s int; var %s bool; _ = %s; _ = %s'
                         % (wv[0], wv[1], wv[0], wv[1]))
            wres = [('w%d_%d' % (u, n), 'k%d_%d' % (u, n))
                    for n in range(len(mine))]
            for a, b in wres:
                self.em.line('int %s = 0, %s = 0;' % (a, b),
                             'var %s, %s int; _, _ = %s, %s' % (a, b, a, b))
            for s, res in zip(mine, wres):
                self.emit_side(s[2][1], s[1], s[5], s[4], res, used, wv)
            for (a, b), s in zip(wres, mine):
                if s[2][1] == 'r':
                    self.em.line('%s <- %s; %s <- %s;' % (dn[wk], a, dn[wk], b),
                                 '%s <- %s; %s <- %s' % (dn[wk], a, dn[wk], b))
            self.em.line('%s <- -1;' % dn[wk], '%s <- -1' % dn[wk])
            self.em.close('}', '}()')
        for s in order:
            self.emit_side(s[2][0], s[1], s[5], s[3], pres[id(s)], used, pv)
        # the model: every step on its own channel object
        term = None
        results = {}
        for s in order:
            wk, i, role, _, _, x = s
            ch = self.st[i]
            t = self.step_terminal(ch, role)
            if t:
                term = self.step_term_kind(ch, role)
                break
            if set(role) == {'s', 'r'}:
                if ch.buf:
                    got = (ch.buf.pop(0), 1)
                    ch.buf.append(x)
                else:
                    got = (x, 1)
            else:
                got = do_recv(ch)
                ch.closed = True
            results[id(s)] = got
        # reports: each worker's receives, then the parent's
        # receive everything every worker reports, then print: a worker
        # that panics must not race with the parent's printing
        q = 'q%d' % u
        nq = sum(2 for s in steps if s[2][1] == 'r') + nworkers
        self.em.line('int %s[%d] = {0};' % (q, nq),
                     'var %s [%d]int' % (q, nq))
        k = 0
        prints = []
        for wk in range(nworkers):
            for s in [s for s in steps if s[0] == wk]:
                if s[2][1] == 'r':
                    self.em.line('%s[%d] = <-%s; %s[%d] = <-%s;'
                                 % (q, k, dn[wk], q, k + 1, dn[wk]),
                                 '%s[%d] = <-%s; %s[%d] = <-%s'
                                 % (q, k, dn[wk], q, k + 1, dn[wk]))
                    prints.append(('w%d %%d %%d' % wk, k, k + 1))
                    if term is None:
                        self.out.append('w%d %d %d' % ((wk,) + results[id(s)]))
                    k += 2
            self.em.line('%s[%d] = <-%s;' % (q, k, dn[wk]),
                         '%s[%d] = <-%s' % (q, k, dn[wk]))
            prints.append(('w%d end %%d' % wk, k))
            if term is None:
                self.out.append('w%d end -1' % wk)
            k += 1
        for fmt, *idx in prints:
            self.pr(fmt, *[('%s[%d]' % (q, i),) * 2 for i in idx])
        for s in steps:
            if s[2][0] == 'r':
                a, b = pres[id(s)]
                self.pr('m %d %d', (a, a), (b, b))
                if term is None:
                    self.out.append('m %d %d' % results[id(s)])
        self.em.close()
        if term:
            raise term

    @staticmethod
    def step_term_kind(ch, role):
        if ch is None:
            if 'c' in role:
                return Terminal('panic', 'close of nil channel')
            return Terminal('deadlock')
        if 'c' in role and ch.closed:
            return Terminal('panic', 'close of closed channel')
        return Terminal('panic', 'send on closed channel')

    # ---- the case -------------------------------------------------------
    # ---- many coroutines on one channel: only totals are printed ---------
    def fresh_chan(self, name, cap):
        self.em.line('chan(int) %s = make(chan(int), %d);' % (name, cap),
                     '%s := make(chan int, %d)' % (name, cap))

    def fan(self, depth):
        """fan-in, fan-out (optionally merging two channels in a select
        that nils a closed one) or close broadcast, on fresh channels."""
        u = self.fresh()
        kind = self.rng.choice(['in', 'out', 'out2', 'bcast'])
        nw = self.rng.randint(2, 4)
        cap = self.rng.choice([0, 0, 1, 3])
        x, y = 'fx%d' % u, 'fy%d' % u
        rc, rs = 'fc%d' % u, 'fs%d' % u
        self.em.open('{', '{')
        self.fresh_chan(x, cap)
        self.fresh_chan(y, cap)
        self.fresh_chan(rc, nw)
        self.fresh_chan(rs, nw)
        self.em.line('(void)%s; (void)%s; (void)%s; (void)%s;'
                     % (x, y, rc, rs),
                     '_, _, _, _ = %s, %s, %s, %s' % (x, y, rc, rs))
        self.em.line('int %s = 0, %s = 0;' % ('tc%d' % u, 'ts%d' % u),
                     'tc%d, ts%d := 0, 0' % (u, u))
        tc, ts = 'tc%d' % u, 'ts%d' % u
        getattr(self, 'fan_' + kind)(u, nw, x, y, rc, rs, tc, ts)
        self.em.close()

    def fan_in(self, u, nw, x, y, rc, rs, tc, ts):
        total, n = 0, 0
        for _ in range(nw):
            vals = [self.val() for _ in range(self.rng.randint(1, 5))]
            total += sum(vals)
            n += len(vals)
            self.em.open('go {', 'go func() {')
            for v in vals:
                if self.rng.random() < 0.5:
                    self.em.line('%s <- %d;' % (x, v), '%s <- %d' % (x, v))
                else:
                    self.em.line('select { case %s <- %d: break; }' % (x, v),
                                 'select { case %s <- %d: }' % (x, v))
            self.em.close('}', '}()')
        self.em.open('for (int i = 0; i < %d; i++) {' % n,
                      'for i := 0; i < %d; i++ {' % n)
        self.em.line('%s++; %s += <-%s;' % (tc, ts, x),
                     '%s++; %s += <-%s' % (tc, ts, x))
        self.em.close()
        self.pr('fanin %d %d', (tc, tc), (ts, ts))
        self.out.append('fanin %d %d' % (n, total))

    def fan_out(self, u, nw, x, y, rc, rs, tc, ts, two=False):
        vals = [self.val() for _ in range(self.rng.randint(0, 12))]
        for _ in range(nw):
            self.em.open('go {', 'go func() {')
            if not two:
                self.em.line('int c = 0, s = 0;', 'c, s := 0, 0')
                self.em.line('for (int v : %s) { c++; s += v; }' % x,
                             'for v := range %s { c++; s += v }' % x)
            else:
                self.em.line('int c = 0, s = 0, v = 0, ok = 0;',
                             'c, s := 0, 0')
                self.em.line('chan(int) a = %s, b = %s;' % (x, y),
                             'a, b := %s, %s' % (x, y))
                self.em.open('while (a || b) {', 'for a != nil || b != nil {')
                self.em.open('select {', 'select {')
                for ch in 'ab':
                    self.em.line('case v, ok = <-%s:' % ch,
                                 'case v, ok := <-%s:' % ch)
                    self.em.line('if (!ok) %s = 0; else { c++; s += v; }'
                                 % ch,
                                 'if !ok { %s = nil } else { c++; s += v }'
                                 % ch)
                self.em.close()
                self.em.close()
            self.em.line('%s <- c; %s <- s;' % (rc, rs),
                         '%s <- c; %s <- s' % (rc, rs))
            self.em.close('}', '}()')
        for v in vals:
            ch = y if two and self.rng.random() < 0.5 else x
            self.em.line('%s <- %d;' % (ch, v), '%s <- %d' % (ch, v))
        self.em.line('close(%s); close(%s);' % (x, y),
                     'close(%s); close(%s)' % (x, y))
        self.em.open('for (int i = 0; i < %d; i++) {' % nw,
                     'for i := 0; i < %d; i++ {' % nw)
        self.em.line('%s += <-%s; %s += <-%s;' % (tc, rc, ts, rs),
                     '%s += <-%s; %s += <-%s' % (tc, rc, ts, rs))
        self.em.close()
        self.pr('fanout %d %d', (tc, tc), (ts, ts))
        self.out.append('fanout %d %d' % (len(vals), sum(vals)))

    def fan_out2(self, *a):
        self.fan_out(*a, two=True)

    def fan_bcast(self, u, nw, x, y, rc, rs, tc, ts):
        """nw receivers park on x; the parent sends to some, closes x."""
        for _ in range(nw):
            self.em.open('go {', 'go func() {')
            self.em.line('int v = 0, ok = 0;', 'var v int; var ok bool')
            self.em.line('v, ok = <-%s;' % x, 'v, ok = <-%s' % x)
            self.em.line('%s <- ok; %s <- v;' % (rc, rs),
                         '%s <- b2i(ok); %s <- v' % (rc, rs))
            self.em.close('}', '}()')
        vals = [self.val() for _ in range(self.rng.randint(0, nw))]
        for v in vals:
            self.em.line('%s <- %d;' % (x, v), '%s <- %d' % (x, v))
        self.em.line('close(%s);' % x, 'close(%s)' % x)
        self.em.open('for (int i = 0; i < %d; i++) {' % nw,
                     'for i := 0; i < %d; i++ {' % nw)
        self.em.line('%s += <-%s; %s += <-%s;' % (tc, rc, ts, rs),
                     '%s += <-%s; %s += <-%s' % (tc, rc, ts, rs))
        self.em.close()
        self.pr('bcast %d %d', (tc, tc), (ts, ts))
        self.out.append('bcast %d %d' % (len(vals), sum(vals)))

    def episode(self, depth):
        r = self.rng.random()
        if r < 0.14 and depth < MAX_DEPTH:
            self.handoff(depth)
        elif r < 0.30 and depth < MAX_DEPTH:
            self.script(depth)
        elif r < 0.36:
            self.fan(depth)
        else:
            self.op(depth)

    def generate(self):
        em = self.em
        em.ind = 0
        em.open('static void case_%d(void) {' % self.index,
                'func case%d() {' % self.index)
        em.line('int v0 = 0, ok0 = 0; (void)v0; (void)ok0;',
                'var v0 int; var ok0 bool; _ = v0; _ = ok0')
        try:
            for _ in range(self.rng.randint(2, 24)):
                self.episode(0)
        except Terminal as t:
            self.term = t
        em.close()
        return self


def outcome(case):
    """(stdout, stderr's first line in Go's words, exit status)."""
    out = ''.join(line + '\n' for line in case.out)
    t = case.term
    if t is None:
        return out, '', 0
    if t.kind == 'panic':
        return out, 'panic: ' + t.msg, 2
    return out, 'fatal error: all goroutines are asleep - deadlock!', 2


def case_rng(seed, index):
    return random.Random('%d:%d' % (seed, index))


def generate(seed, indices):
    return [Case(case_rng(seed, i), i).generate() for i in indices]


GOC_HEAD = '''/* generated by tests/diff/gen.py, seed %d: do not edit */
#include <stdio.h>
#include <stdlib.h>
static chan(int) c0, c1, c2, c3, c4;
static int neg(void) { return -1; }
'''

GO_HEAD = '''// generated by tests/diff/gen.py, seed %d: do not edit
package main

import (
\t"fmt"
\t"os"
\t"strconv"
)

var c0, c1, c2, c3, c4 chan int

func neg() int { return -1 }

func b2i(b bool) int {
\tif b {
\t\treturn 1
\t}
\treturn 0
}
'''


def write_programs(seed, cases, goc_path, go_path):
    goc = [GOC_HEAD % seed]
    go = [GO_HEAD % seed]
    for c in cases:
        goc += c.em.goc + ['']
        go += c.em.go + ['']
    goc.append('int main(int argc, char **argv) {')
    goc.append('    switch (argc > 1 ? atoi(argv[1]) : -1) {')
    for c in cases:
        goc.append('    case %d: case_%d(); break;' % (c.index, c.index))
    goc.append('    default: return 64;')
    goc.append('    }')
    goc.append('    return 0;')
    goc.append('}')
    go.append('func main() {')
    go.append('\tk := -1')
    go.append('\tif len(os.Args) > 1 {')
    go.append('\t\tk, _ = strconv.Atoi(os.Args[1])')
    go.append('\t}')
    go.append('\tswitch k {')
    for c in cases:
        go.append('\tcase %d:' % c.index)
        go.append('\t\tcase%d()' % c.index)
    go.append('\tdefault:')
    go.append('\t\tos.Exit(64)')
    go.append('\t}')
    go.append('}')
    with open(goc_path, 'w') as f:
        f.write('\n'.join(goc) + '\n')
    with open(go_path, 'w') as f:
        f.write('\n'.join(go).replace('    ', '\t') + '\n')
