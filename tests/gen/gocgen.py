#!/usr/bin/env python3
"""gocgen.py - a seeded generator of random, valid goc programs.

    gocgen.py SEED [-o FILE]

Writes one .goc program, the same for the same SEED, that nests goc's
constructs (go blocks and go calls, make, send, receive, v, ok = <-c,
for-range over a channel, select in every case form, close, len, cap,
goc_after) inside C expressions: statement expressions, macros, loops,
switch, ?:, nested blocks, function pointers, channels of structs and of
channels.  Every construct is self-contained (it makes its own channels),
so the value of each expression does not depend on scheduling: the
generator computes every function's result with a small interpreter of
what it wrote, and the program checks its own results against those
values and prints "ok" (exit 0), or names the first call that differed
(exit 1).  It must also translate and compile warning-free
(-Wall -Wextra -Werror, gcc and clang) and end by itself: every send has
its receiver, so it never deadlocks.  tests/gen/check.py runs it.
"""
import argparse
import random
import sys

MOD = 30011  # every arithmetic result is kept below this (C's %)


def cmod(a, m):
    """C's a % m (truncating division)."""
    r = abs(a) % m
    return -r if a < 0 else r


def cdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


class Return(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


class Gen:
    """One program: helper functions, then main.  Expressions are pairs
    (C text, evaluator over an environment of int variables)."""

    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seed = seed
        self.uid = 0
        self.funcs = []      # (name, text, evaluator(a, b))
        self.fenv = {}       # name -> evaluator, for calls
        self.used_macros = set()

    def name(self, prefix):
        self.uid += 1
        return "%s%d" % (prefix, self.uid)

    def chance(self, p):
        return self.r.random() < p

    # ---- expressions ------------------------------------------------------

    def expr(self, d, scope):
        if d <= 0 or self.chance(0.15):
            return self.leaf(scope)
        forms = [
            (6, self.e_binop), (2, self.e_cond), (1, self.e_logic),
            (3, self.e_buffered), (3, self.e_go_block), (2, self.e_go_call),
            (2, self.e_select_ready), (1, self.e_select_two),
            (1, self.e_select_send), (1, self.e_close_ok),
            (1, self.e_range), (1, self.e_len_cap), (1, self.e_after),
            (1, self.e_sizeof), (2, self.e_macro), (1, self.e_loop_go),
            (1, self.e_switch), (2, self.e_call), (1, self.e_fptr),
            (1, self.e_struct_chan), (1, self.e_chan_chan),
            (1, self.e_nested_go), (1, self.e_waitgroup),
            (1, self.e_select_loop), (1, self.e_array_chan),
            (1, self.e_select_goto), (1, self.e_while_recv),
            (1, self.e_compound_lit), (1, self.e_recv_index),
            (1, self.e_generic), (1, self.e_cond_chan),
            (1, self.e_select_full), (1, self.e_select_nil),
            (1, self.e_timer), (1, self.e_elem_types), (1, self.e_variadic),
            (1, self.e_pfib), (1, self.e_comma), (1, self.e_nested_select),
            (1, self.e_switch_recv), (1, self.e_member_fptr),
        ]
        total = sum(w for w, _ in forms)
        pick = self.r.uniform(0, total)
        for w, f in forms:
            pick -= w
            if pick <= 0:
                return f(d - 1, scope)
        return forms[0][1](d - 1, scope)

    def leaf(self, scope):
        if scope and self.chance(0.6):
            v = self.r.choice(scope)
            return v, lambda env, v=v: env[v]
        k = self.r.randint(0, 99)
        return str(k), lambda env, k=k: k

    def e_binop(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        if ta == tb:  # x == x and the like draw warnings
            k = self.r.randint(0, 99)
            tb, fb = str(k), lambda e, k=k: k
        op = self.r.choice(["+", "-", "^", "&", "|", "*", "/", "<<", "<", "=="])
        if op == "*":
            t = "(((%s) %% 100) * ((%s) %% 100))" % (ta, tb)
            return t, lambda e: cmod(fa(e), 100) * cmod(fb(e), 100)
        if op == "/":
            t = "((%s) / ((%s) %% 7 + 8))" % (ta, tb)
            return t, lambda e: cdiv(fa(e), cmod(fb(e), 7) + 8)
        if op == "<<":
            t = "(((%s) & 255) << ((%s) & 7))" % (ta, tb)
            return t, lambda e: (fa(e) & 255) << (fb(e) & 7)
        if op in ("<", "=="):
            # a difference, not the operands, is compared: either may be
            # a boolean expression, which gcc will not compare with 47
            t = "((((%s) - (%s))) %s 0)" % (ta, tb, op)
            if op == "<":
                return t, lambda e: int(fa(e) < fb(e))
            return t, lambda e: int(fa(e) == fb(e))
        py = {"+": lambda x, y: x + y, "-": lambda x, y: x - y,
              "^": lambda x, y: x ^ y, "&": lambda x, y: x & y,
              "|": lambda x, y: x | y}[op]
        t = "(((%s) %s (%s)) %% %d)" % (ta, op, tb, MOD)
        return t, lambda e: cmod(py(fa(e), fb(e)), MOD)

    def e_cond(self, d, scope):
        (tc, fc), (ta, fa), (tb, fb) = (self.expr(d, scope) for _ in range(3))
        t = "(((%s) != 0) ? (%s) : (%s))" % (tc, ta, tb)
        return t, lambda e: fa(e) if fc(e) else fb(e)

    def e_logic(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        if self.chance(0.5):
            return ("(((%s) != 0) && ((%s) != 0))" % (ta, tb),
                    lambda e: int(bool(fa(e)) and bool(fb(e))))
        return ("(((%s) != 0) || ((%s) != 0))" % (ta, tb),
                lambda e: int(bool(fa(e)) or bool(fb(e))))

    def e_buffered(self, d, scope):
        tx, fx = self.expr(d, scope)
        c = self.name("c")
        n = self.r.randint(1, 3)
        t = "({ chan(int) %s = make(chan(int), %d); %s <- (%s); <-%s; })" % (
            c, n, c, tx, c)
        return t, fx

    def e_go_block(self, d, scope):
        tx, fx = self.expr(d, scope)
        c = self.name("c")
        if self.chance(0.5):
            t = ("({ chan(int) %s = make(chan(int)); go { %s <- (%s); } <-%s; })"
                 % (c, c, tx, c))
            return t, fx
        v = self.name("v")
        t = ("({ chan(int) %s = make(chan(int)); go { int %s = (%s); %s <- %s + 1; } "
             "<-%s - 1; })" % (c, v, tx, c, v, c))
        return t, fx

    def e_go_call(self, d, scope):
        tx, fx = self.expr(d, scope)
        c = self.name("c")
        t = "({ chan(int) %s = make(chan(int)); go put_int(%s, (%s)); <-%s; })" % (
            c, c, tx, c)
        return t, fx

    def e_select_ready(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, r = self.name("c"), self.name("r")
        form = self.r.randint(0, 3)
        if form == 0:
            case = "case %s = <-%s: break;" % (r, c)
        elif form == 1:
            v = self.name("v")
            case = "case int %s = <-%s: %s = %s;" % (v, c, r, v)
        elif form == 2:
            ok = self.name("ok")
            case = ("case %s, %s = <-%s: %s += 0 * %s;" % (r, ok, c, r, ok))
            t = ("({ chan(int) %s = make(chan(int), 1); %s <- (%s); int %s = -1, %s = 0; "
                 "select { %s default: %s = -2; } %s; })"
                 % (c, c, tx, r, ok, case, r, r))
            return t, fx
        else:
            case = "case <-%s: %s = 0;" % (c, r)
            t = ("({ chan(int) %s = make(chan(int), 1); %s <- (%s); int %s = -1; "
                 "select { %s } %s; })" % (c, c, tx, r, case, r))
            return t, lambda e: (fx(e), 0)[1]
        default = " default: %s = -2;" % r if self.chance(0.5) else ""
        t = ("({ chan(int) %s = make(chan(int), 1); %s <- (%s); int %s = -1; "
             "select { %s%s } %s; })" % (c, c, tx, r, case, default, r))
        return t, fx

    def e_select_two(self, d, scope):
        """Two ready channels holding the same value: either case gives it."""
        tx, fx = self.expr(d, scope)
        c1, c2, x, r = (self.name(p) for p in ("c", "c", "x", "r"))
        t = ("({ int %s = (%s); chan(int) %s = make(chan(int), 1); "
             "chan(int) %s = make(chan(int)); go { %s <- %s; } %s <- %s; int %s = -1; "
             "select { case int v = <-%s: %s = v; case int v = <-%s: %s = v; } "
             "if (len(%s) == 1) %s = <-%s; else <-%s; %s; })"
             % (x, tx, c1, c2, c2, x, c1, x, r, c1, r, c2, r, c1, r, c1, c2, r))
        return t, fx

    def e_select_send(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, n = self.name("c"), self.name("n")
        t = ("({ chan(int) %s = make(chan(int), 1); int %s = 0; "
             "select { case %s <- (%s): %s = 1; } %s * <-%s; })"
             % (c, n, c, tx, n, n, c))
        return t, fx

    def e_close_ok(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, a, b, ok = (self.name(p) for p in ("c", "a", "b", "ok"))
        t = ("({ chan(int) %s = make(chan(int), 2); %s <- (%s); close(%s); "
             "int %s = <-%s; int %s = 7, %s = 5; %s, %s = <-%s; %s + %s + %s; })"
             % (c, c, tx, c, a, c, b, ok, b, ok, c, a, b, ok))
        return t, fx

    def e_range(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c, s = self.name("c"), self.name("s")
        t = ("({ chan(int) %s = make(chan(int), 2); int %s = 0; go { %s <- (%s); "
             "%s <- (%s); close(%s); } for (int v : %s) %s = (%s + v) %% %d; %s; })"
             % (c, s, c, ta, c, tb, c, c, s, s, MOD, s))
        return t, lambda e: cmod(cmod(fa(e), MOD) + fb(e), MOD)

    def e_len_cap(self, d, scope):
        tx, fx = self.expr(d, scope)
        c = self.name("c")
        k = self.r.randint(2, 5)
        t = ("({ chan(int) %s = make(chan(int), %d); %s <- (%s); "
             "(int)cap(%s) * 100 + (int)len(%s) + <-%s; })" % (c, k, c, tx, c, c, c))
        return t, lambda e: k * 100 + 1 + fx(e)

    def e_after(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, r = self.name("c"), self.name("r")
        t = ("({ chan(int) %s = make(chan(int), 1); %s <- (%s); int %s = -1; "
             "select { case %s = <-%s: break; case <-goc_after(60 * GOC_SECOND): "
             "%s = -3; } %s; })" % (c, c, tx, r, r, c, r, r))
        return t, fx

    def e_sizeof(self, d, scope):
        """sizeof does not evaluate: receiving from a nil channel is fine."""
        tx, fx = self.expr(d, scope)
        c = self.name("c")
        t = "({ chan(int) %s = 0; (int)sizeof(<-%s) + (%s); })" % (c, c, tx)
        return t, lambda e: 4 + fx(e)

    def e_macro(self, d, scope):
        tx, fx = self.expr(d, scope)
        m = self.r.choice(["VIA_CHAN", "VIA_GO", "VIA_SELECT", "SUM_TO"])
        self.used_macros.add(m)
        if m == "SUM_TO":
            return ("SUM_TO((%s) & 7)" % tx,
                    lambda e: sum(range(fx(e) & 7)))
        return "%s(%s)" % (m, tx), fx

    def e_loop_go(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, s, x = self.name("c"), self.name("s"), self.name("x")
        n = self.r.randint(1, 4)
        t = ("({ int %s = (%s); chan(int) %s = make(chan(int)); "
             "for (int i = 0; i < %d; i++) go { %s <- i * %s; } long %s = 0; "
             "for (int i = 0; i < %d; i++) %s += <-%s; (int)(%s %% %d); })"
             % (x, tx, c, n, c, x, s, n, s, c, s, MOD))

        def ev(e):
            xv = fx(e)
            return cmod(sum(i * xv for i in range(n)), MOD)
        return t, ev

    def e_switch(self, d, scope):
        tk, fk = self.expr(d, scope)
        arms = [self.expr(d, scope) for _ in range(3)]
        r = self.name("r")
        body = []
        for i, (ta, _) in enumerate(arms[:2]):
            body.append("case %d: %s = (%s); break;" % (i, r, ta))
        body.append("default: %s = (%s); break;" % (r, arms[2][0]))
        t = "({ int %s = 0; switch ((%s) & 3) { %s } %s; })" % (
            r, tk, " ".join(body), r)

        def ev(e):
            k = fk(e) & 3
            return arms[k if k < 2 else 2][1](e)
        return t, ev

    def e_call(self, d, scope):
        if not self.funcs:
            return self.e_binop(d, scope)
        name, _, fn = self.r.choice(self.funcs)
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        return ("%s((%s), (%s))" % (name, ta, tb),
                lambda e: fn(fa(e), fb(e)))

    def e_fptr(self, d, scope):
        """A function pointer from the table, called or started by go."""
        if not self.funcs:
            return self.e_binop(d, scope)
        i = self.r.randrange(len(self.funcs))
        fn = self.funcs[i][2]
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        if self.chance(0.5):
            t = "ftab[%d]((%s), (%s))" % (i, ta, tb)
        else:
            c = self.name("c")
            t = ("({ chan(int) %s = make(chan(int)); go run_fn(ftab[%d], (%s), (%s), %s); "
                 "<-%s; })" % (c, i, ta, tb, c, c))
        return t, lambda e: fn(fa(e), fb(e))

    def e_struct_chan(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c, p = self.name("c"), self.name("p")
        t = ("({ chan(struct pair) %s = make(chan(struct pair), 1); "
             "%s <- (struct pair){(%s), (%s)}; struct pair %s = <-%s; "
             "(%s.x - %s.y) %% %d; })" % (c, c, ta, tb, p, c, p, p, MOD))
        return t, lambda e: cmod(fa(e) - fb(e), MOD)

    def e_chan_chan(self, d, scope):
        tx, fx = self.expr(d, scope)
        cc, c, r = self.name("cc"), self.name("c"), self.name("r")
        t = ("({ int_chan_chan %s = make(chan(chan(int)), 1); "
             "go { chan(int) %s = make(chan(int), 1); %s <- (%s); %s <- %s; } "
             "chan(int) %s = <-%s; <-%s; })" % (cc, c, c, tx, cc, c, r, cc, r))
        return t, fx

    def e_nested_go(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, c2 = self.name("c"), self.name("c")
        t = ("({ chan(int) %s = make(chan(int)); go { chan(int) %s = make(chan(int)); "
             "go { %s <- (%s); } %s <- <-%s; } <-%s; })"
             % (c, c2, c2, tx, c, c2, c))
        return t, fx

    def e_waitgroup(self, d, scope):
        tx, fx = self.expr(d, scope)
        n = self.r.randint(1, 4)
        x, s, pw, ps = (self.name(p) for p in ("x", "s", "pw", "ps"))
        t = ("({ int %s = (%s); long %s = 0; goc_waitgroup wg = {0}; "
             "goc_mutex mu = {0}; goc_mutex *pmu = &mu; goc_waitgroup *%s = &wg; "
             "long *%s = &%s; goc_waitgroup_add(&wg, %d); "
             "for (int i = 0; i < %d; i++) go { goc_mutex_lock(pmu); "
             "*%s += %s + i; goc_mutex_unlock(pmu); "
             "goc_waitgroup_done(%s); } goc_waitgroup_wait(&wg); (int)(%s %% %d); })"
             % (x, tx, s, pw, ps, s, n, n, ps, x, pw, s, MOD))

        def ev(e):
            xv = fx(e)
            return cmod(sum(xv + i for i in range(n)), MOD)
        return t, ev

    def e_select_loop(self, d, scope):
        """Two producers merged by select until both are closed; a closed
        channel is disabled by setting it to nil."""
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        a, b, s = self.name("a"), self.name("b"), self.name("s")
        t = ("({ chan(int) %s = make(chan(int)); chan(int) %s = make(chan(int), 1); "
             "go { %s <- (%s); %s <- 1; close(%s); } "
             "go { %s <- (%s); close(%s); } long %s = 0; int v = 0, ok = 0; "
             "while (%s || %s) { select { "
             "case v, ok = <-%s: if (!ok) { %s = 0; continue; } %s += v; "
             "case v, ok = <-%s: if (!ok) { %s = 0; break; } %s += v; "
             "} } (int)(%s %% %d); })"
             % (a, b, a, ta, a, a, b, tb, b, s, a, b,
                a, a, s, b, b, s, s, MOD))
        return t, lambda e: cmod(fa(e) + 1 + fb(e), MOD)

    def e_array_chan(self, d, scope):
        tx, fx = self.expr(d, scope)
        arr, bx = self.name("arr"), self.name("bx")
        t = ("({ chan(int) %s[2] = {make(chan(int), 1), 0}; struct box %s = {%s[0]}; "
             "%s[0] <- (%s); %s.c <- <-%s.c + 1; <-%s[0] - 1; })"
             % (arr, bx, arr, arr, tx, bx, bx, arr))
        return t, fx

    def e_select_goto(self, d, scope):
        """A select in a loop: continue takes the next value, goto leaves
        both once the channel is closed and drained."""
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c, s, v, ok, out = (self.name(p) for p in ("c", "s", "v", "ok", "out"))
        t = ("({ chan(int) %s = make(chan(int), 2); %s <- (%s); %s <- (%s); close(%s); "
             "long %s = 0; int %s = 0, %s = 0; for (;;) { select { "
             "case %s, %s = <-%s: if (!%s) goto %s; %s += %s; continue; } break; } "
             "%s: (int)(%s %% %d); })"
             % (c, c, ta, c, tb, c, s, v, ok, v, ok, c, ok, out, s, v, out, s, MOD))
        return t, lambda e: cmod(fa(e) + fb(e), MOD)

    def e_while_recv(self, d, scope):
        """while ((x = <-c) != 0): values 1..n, then 0 ends the loop."""
        tx, fx = self.expr(d, scope)
        n = self.r.randint(0, 4)
        c, s, x = self.name("c"), self.name("s"), self.name("x")
        t = ("({ chan(int) %s = make(chan(int), %d); go { for (int i = 1; i <= %d; i++) "
             "%s <- i; %s <- 0; } long %s = (%s); int %s; "
             "while ((%s = <-%s) != 0) %s += %s; (int)(%s %% %d); })"
             % (c, n + 1, n, c, c, s, tx, x, x, c, s, x, s, MOD))
        return t, lambda e: cmod(fx(e) + n * (n + 1) // 2, MOD)

    def e_compound_lit(self, d, scope):
        """Receives as the members of a compound literal, from two channels
        declared in one declaration."""
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c1, c2, p = self.name("c"), self.name("c"), self.name("p")
        t = ("({ chan(int) %s = make(chan(int), 1), %s = make(chan(int), 1); "
             "%s <- (%s); %s <- (%s); struct pair %s = (struct pair){<-%s, <-%s}; "
             "(%s.x - %s.y) %% %d; })" % (c1, c2, c1, ta, c2, tb, p, c1, c2, p, p, MOD))
        return t, lambda e: cmod(fa(e) - fb(e), MOD)

    def e_recv_index(self, d, scope):
        tx, fx = self.expr(d, scope)
        c, arr = self.name("c"), self.name("arr")
        k = self.r.randint(0, 3)
        t = ("({ int %s[4] = {100, 101, 102, 103}; chan(int) %s = make(chan(int), 1); "
             "%s <- %d; %s[<-%s] + (%s); })" % (arr, c, c, k, arr, c, tx))
        return t, lambda e: 100 + k + fx(e)

    def e_generic(self, d, scope):
        """_Generic over channel types: goc chooses (docs/language.md §8)."""
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c = self.name("c")
        if self.chance(0.5):
            t = ("({ chan(int) %s = 0; _Generic(%s, chan(long): (%s), chan(int): (%s), "
                 "default: 0); })" % (c, c, tb, ta))
        else:
            t = ("({ chan(long) %s = 0; _Generic(%s, chan(long): (%s), chan(int): (%s), "
                 "default: 0); })" % (c, c, ta, tb))
        return t, fa

    def e_cond_chan(self, d, scope):
        (tk, fk), (tx, fx) = self.expr(d, scope), self.expr(d, scope)
        c1, c2, ch = self.name("c"), self.name("c"), self.name("ch")
        t = ("({ chan(int) %s = make(chan(int), 1), %s = make(chan(int), 1); "
             "chan(int) %s = ((%s) != 0) ? %s : %s; %s <- (%s); "
             "(int)len(%s) * 2 + (int)len(%s) + <-%s; })"
             % (c1, c2, ch, tk, c1, c2, ch, tx, c1, c2, ch))
        return t, lambda e: (2 if fk(e) else 1) + fx(e)

    def e_select_full(self, d, scope):
        """A send case on a full channel is never ready: the receive runs."""
        tx, fx = self.expr(d, scope)
        full, c, r = self.name("full"), self.name("c"), self.name("r")
        t = ("({ chan(int) %s = make(chan(int), 1); %s <- 0; chan(int) %s = "
             "make(chan(int), 1); %s <- (%s); int %s = -1; select { case %s <- 5: "
             "%s = -9; break; case %s = <-%s: break; } %s + <-%s; })"
             % (full, full, c, c, tx, r, full, r, r, c, r, full))
        return t, fx

    def e_select_nil(self, d, scope):
        """A nil channel is never ready: default runs."""
        tx, fx = self.expr(d, scope)
        n, r = self.name("nilc"), self.name("r")
        t = ("({ chan(int) %s = 0; int %s = -1; select { case <-%s: %s = -9; "
             "case %s <- 1: %s = -8; default: %s = (%s); } %s; })"
             % (n, r, n, r, n, r, r, tx, r))
        return t, fx

    def e_timer(self, d, scope):
        tx, fx = self.expr(d, scope)
        tm, p = self.name("tm"), self.name("p")
        if self.chance(0.5):
            t = ("({ goc_timer *%s = goc_timer_new(60 * GOC_SECOND); int %s = "
                 "goc_timer_stop(%s); goc_timer_free(%s); %s + (%s); })"
                 % (tm, p, tm, tm, p, tx))
            return t, lambda e: 1 + fx(e)
        t = ("({ int64_t %s = <-goc_after(1); (%s > 0) + (%s); })" % (p, p, tx))
        return t, lambda e: 1 + fx(e)

    def e_elem_types(self, d, scope):
        """Channels of double, long, pointers and a typedef'd element."""
        tx, fx = self.expr(d, scope)
        k = self.r.randint(0, 2)
        c, x = self.name("c"), self.name("x")
        if k == 0:
            t = ("({ chan(double) %s = make(chan(double), 1); %s <- (%s) + 0.25; "
                 "(int)(<-%s - 0.25); })" % (c, c, tx, c))
        elif k == 1:
            t = ("({ int %s = (%s); chan(int *) %s = make(chan(int *), 1); "
                 "%s <- &%s; *<-%s; })" % (x, tx, c, c, x, c))
        else:
            t = ("({ chan(count_t) %s = make(chan(count_t)); go { %s <- (count_t)(%s); } "
                 "(int)<-%s; })" % (c, c, tx, c))
        return t, fx

    def e_variadic(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c = self.name("c")
        t = ("({ chan(int) %s = make(chan(int)); go vsum(%s, 2, (%s), (%s)); "
             "<-%s; })" % (c, c, ta, tb, c))
        return t, lambda e: cmod(fa(e) + fb(e), MOD)

    def e_pfib(self, d, scope):
        tx, fx = self.expr(d, scope)
        fib = [0, 1]
        while len(fib) < 8:
            fib.append(fib[-1] + fib[-2])
        return "pfib((%s) & 7)" % tx, lambda e: fib[fx(e) & 7]

    def e_comma(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c = self.name("c")
        t = ("({ chan(int) %s = make(chan(int), 1); %s <- (%s); (<-%s, (%s)); })"
             % (c, c, ta, c, tb))
        return t, lambda e: (fa(e), fb(e))[1]

    def e_nested_select(self, d, scope):
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c1, c2, r = self.name("c"), self.name("c"), self.name("r")
        t = ("({ chan(int) %s = make(chan(int), 1), %s = make(chan(int), 1); "
             "%s <- (%s); %s <- (%s); int %s = 0; select { case int v = <-%s: "
             "select { case int w = <-%s: %s = (v + w) %% %d; } } %s; })"
             % (c1, c2, c1, ta, c2, tb, r, c1, c2, r, MOD, r))
        return t, lambda e: cmod(fa(e) + fb(e), MOD)

    def e_switch_recv(self, d, scope):
        tk, fk = self.expr(d, scope)
        arms = [self.expr(d, scope) for _ in range(3)]
        c, r = self.name("c"), self.name("r")
        body = " ".join("case %d: %s = (%s); break;" % (i, r, a[0])
                        for i, a in enumerate(arms[:2]))
        t = ("({ chan(int) %s = make(chan(int), 1); %s <- (%s) & 3; int %s = 0; "
             "switch (<-%s) { %s default: %s = (%s); break; } %s; })"
             % (c, c, tk, r, c, body, r, arms[2][0], r))

        def ev(e):
            k = fk(e) & 3
            return arms[k if k < 2 else 2][1](e)
        return t, ev

    def e_member_fptr(self, d, scope):
        """go through a struct member and through (*fp)."""
        (ta, fa), (tb, fb) = self.expr(d, scope), self.expr(d, scope)
        c, o = self.name("c"), self.name("o")
        if self.chance(0.5):
            t = ("({ chan(int) %s = make(chan(int)); struct ops %s = {vsum}; "
                 "go %s.sum(%s, 2, (%s), (%s)); <-%s; })" % (c, o, o, c, ta, tb, c))
        else:
            t = ("({ chan(int) %s = make(chan(int)); void (*%s)(chan(int), int, ...) = vsum; "
                 "go (*%s)(%s, 2, (%s), (%s)); <-%s; })" % (c, o, o, c, ta, tb, c))
        return t, lambda e: cmod(fa(e) + fb(e), MOD)

    # ---- statements -------------------------------------------------------

    def block(self, d, scope, indent):
        """A list of statements over `scope`; returns (lines, exec)."""
        lines, execs = [], []
        scope, declared = list(scope), []
        for _ in range(self.r.randint(1, 4)):
            ls, ex, new = self.stmt(d, scope, indent)
            lines += ls
            execs.append(ex)
            scope += new
            declared += new
        if declared:
            lines.append("    " * indent + " ".join("(void)%s;" % v for v in declared))
        def run(env):
            for ex in execs:
                ex(env)
        return lines, run, scope

    def stmt(self, d, scope, indent):
        pad = "    " * indent
        k = self.r.randint(0, 9)
        if k <= 3 or d <= 0:
            v = self.name("l")
            t, f = self.expr(d, scope)
            def ex(env, v=v, f=f):
                env[v] = f(env)
            return ["%sint %s = %s;" % (pad, v, t)], ex, [v]
        assignable = [v for v in scope if not v.startswith("i")]
        if k == 4 and assignable:
            v = self.r.choice(assignable)
            t, f = self.expr(d, scope)
            def ex(env, v=v, f=f):
                env[v] = cmod(env[v] + f(env), MOD)
            return ["%s%s = (%s + (%s)) %% %d;" % (pad, v, v, t, MOD)], ex, []
        if k == 5:
            tc, fc = self.expr(d - 1, scope)
            l1, r1, _ = self.block(d - 1, scope, indent + 1)
            l2, r2, _ = self.block(d - 1, scope, indent + 1)
            lines = (["%sif ((%s) != 0) {" % (pad, tc)] + l1 + ["%s} else {" % pad]
                     + l2 + ["%s}" % pad])
            def ex(env):
                (r1 if fc(env) else r2)(env)
            return lines, ex, []
        if k == 6:
            n = self.r.randint(0, 3)
            i = self.name("i")
            l1, r1, _ = self.block(d - 1, scope + [i], indent + 1)
            lines = (["%sfor (int %s = 0; %s < %d; %s++) {" % (pad, i, i, n, i)]
                     + l1 + ["%s}" % pad])
            def ex(env):
                for iv in range(n):
                    env[i] = iv
                    r1(env)
            return lines, ex, []
        if k == 7:
            tk, fk = self.expr(d - 1, scope)
            arms = [self.block(d - 1, scope, indent + 2) for _ in range(3)]
            lines = ["%sswitch ((%s) & 3) {" % (pad, tk)]
            for j, (la, _, _) in enumerate(arms):
                lines.append("%s%s: {" % (pad + "    ",
                                          "default" if j == 2 else "case %d" % j))
                lines += la
                lines.append("%s    break;" % (pad + "    "))
                lines.append("%s}" % (pad + "    "))
            lines.append("%s}" % pad)
            def ex(env):
                kv = fk(env) & 3
                arms[kv if kv < 2 else 2][1](env)
            return lines, ex, []
        if k == 8:
            l1, r1, _ = self.block(d - 1, scope, indent + 1)
            return ["%s{" % pad] + l1 + ["%s}" % pad], r1, []
        # a result computed by a go block and received later
        c, v = self.name("c"), self.name("l")
        t, f = self.expr(d - 1, scope)
        lines = ["%schan(int) %s = make(chan(int), 1);" % (pad, c),
                 "%sgo { %s <- (%s); }" % (pad, c, t),
                 "%sint %s = <-%s;" % (pad, v, c)]
        def ex(env, v=v, f=f):
            env[v] = f(env)
        return lines, ex, [v]

    def function(self, d):
        name = self.name("f")
        lines, run, scope = self.block(d, ["a", "b"], 1)
        tr, fr = self.expr(d, scope)
        text = ["static int %s(int a, int b) {" % name] + lines + [
            "    return (%s + a * 0 + b * 0) %% %d;" % (tr, MOD), "}", ""]

        def call(a, b):
            env = {"a": a, "b": b}
            run(env)
            return cmod(fr(env), MOD)
        self.funcs.append((name, "\n".join(text), call))

    # ---- the program ------------------------------------------------------

    def program(self):
        nfun = self.r.randint(2, 5)
        for _ in range(nfun):
            self.function(self.r.randint(1, 3))
        calls = []
        for i, (name, _, fn) in enumerate(self.funcs):
            for _ in range(2):
                a, b = self.r.randint(-50, 99), self.r.randint(-50, 99)
                calls.append((i, name, a, b, fn(a, b)))
        return self.render(calls)

    def render(self, calls):
        out = ["/* goc program generated by tests/gen/gocgen.py, seed %d */"
               % self.seed, PRELUDE]
        for n, _, _ in self.funcs:
            out.append("static int %s(int a, int b);" % n)
        out.append("static int (*const ftab[])(int, int) = {%s};" %
                   ", ".join(n for n, _, _ in self.funcs))
        out.append("")
        out.append("static void run_fn(int (*fp)(int, int), int a, int b, chan(int) out) {")
        out.append("    out <- fp(a, b);")
        out.append("}")
        out.append("")
        for _, text, _ in self.funcs:
            out.append(text)
        out.append("struct call { int f, a, b, want; };")
        out.append("static const struct call calls[] = {")
        for i, _, a, b, want in calls:
            out.append("    {%d, %d, %d, %d}," % (i, a, b, want))
        out.append("};")
        out.append(MAIN)
        return "\n".join(out) + "\n"


PRELUDE = r"""#include <stdarg.h>
#include <stdio.h>

typedef long count_t;

struct pair { int x, y; };
struct box { chan(int) c; };
typedef chan(chan(int)) int_chan_chan;

static void put_int(chan(int) c, int v) { c <- v; }

/* the sum of n ints, sent on out (a variadic go call) */
static void vsum(chan(int) out, int n, ...) {
    va_list ap;
    long s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        s += va_arg(ap, int);
    va_end(ap);
    out <- (int)(s % 30011);
}

struct ops { void (*sum)(chan(int), int, ...); };

/* Fibonacci with one half in a coroutine */
static int pfib(int n) {
    if (n < 2)
        return n;
    chan(int) c = make(chan(int));
    go { c <- pfib(n - 1); }
    return pfib(n - 2) + <-c;
}

/* goc constructs inside macros, nested in each other's arguments */
#define VIA_CHAN(x) ({ chan(int) m_c = make(chan(int), 1); m_c <- (x); <-m_c; })
#define VIA_GO(x) ({ chan(int) m_g = make(chan(int)); go { m_g <- (x); } <-m_g; })
#define VIA_SELECT(x) ({ chan(int) m_s = make(chan(int), 1); int m_r = -1; \
    m_s <- (x); select { case m_r = <-m_s: break; default: break; } m_r; })
#define SUM_TO(n) ({ int m_t = 0; for (int m_i = 0; m_i < (n); m_i++) m_t += m_i; m_t; })

/* every macro used, whatever the seed drew */
static int use_macros(void) {
    chan(int) c = make(chan(int));
    go put_int(c, 5);
    chan(int) v = make(chan(int));
    go vsum(v, 1, 3);
    return VIA_CHAN(1) + VIA_GO(2) + VIA_SELECT(3) + SUM_TO(4) + <-c - 17 +
           pfib(1) - 1 + <-v - 3;
}
"""

MAIN = r"""
int main(void) {
    int n = (int)(sizeof calls / sizeof calls[0]), bad = use_macros();
    chan(int) results = make(chan(int), n);
    /* half of the calls in coroutines, all at once */
    for (int i = 0; i < n; i += 2)
        go run_fn(ftab[calls[i].f], calls[i].a, calls[i].b, results);
    for (int i = 1; i < n; i += 2) {
        int got = ftab[calls[i].f](calls[i].a, calls[i].b);
        if (got != calls[i].want) {
            printf("call %d: f%d(%d, %d) = %d, want %d\n", i, calls[i].f,
                   calls[i].a, calls[i].b, got, calls[i].want);
            bad = 1;
        }
    }
    long sum = 0, want = 0;
    for (int i = 0; i < n; i += 2) {
        sum += <-results;
        want += calls[i].want;
    }
    if (sum != want) {
        printf("coroutine calls: sum %ld, want %ld\n", sum, want);
        bad = 1;
    }
    if (!bad)
        printf("ok\n");
    return bad;
}"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed", type=int)
    ap.add_argument("-o", dest="out", default="-")
    args = ap.parse_args()
    sys.setrecursionlimit(10000)
    text = Gen(args.seed).program()
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
