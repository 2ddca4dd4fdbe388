# goc-gdb.py - gdb support for goc programs (docs/runtime.md, "Debugging
# with gdb").  libgoc carries this script in its .debug_gdb_scripts section,
# so gdb loads it with the program once the program's directory is on gdb's
# auto-load safe-path; `source <prefix>/share/goc/goc-gdb.py` loads it by
# hand.  It reads the runtime's own records through libgoc's debug info
# (libgoc is always compiled with -g):
#
#   info coroutines        every coroutine: id, state, what it waits on,
#                          where it was spawned and where it is now
#   coroutine N bt [full]  the backtrace of coroutine N (a parked one: gdb's
#                          registers are pointed at its saved context for
#                          the duration of the command, then put back)
#   coroutine N CMD        any gdb command in coroutine N's context
#   print c                a channel (goc__chan): element type (its size
#                          for a channel goc_chan_make made), length,
#                          capacity, closed, waiting senders and receivers
#
# gdb's own `start` and `break main` stop in the user's main, which keeps
# its name and symbol (compiler/lower.c, lower_main).
# Only x86-64 saved contexts can be switched to (ctx_x86_64.S); elsewhere
# `coroutine N bt` says so.

import gdb

_STATE_NAMES = {0: "free", 1: "runnable", 2: "running", 3: "parked"}
_RUNTIME_FUNCS = ("rt_", "goc_", "g_main", "main_entry", "worker_main",
                  "goc__main")


def _static(name, file_suffix):
    """The runtime's file-scope static `name` defined in file_suffix."""
    for sym in gdb.lookup_static_symbols(name):
        if sym.symtab and sym.symtab.filename.endswith(file_suffix):
            return sym.value()
    raise gdb.GdbError("goc: libgoc's debug information is missing "
                       "(no '%s' in %s)" % (name, file_suffix))


def _wait_name(reason):
    """What enum rt_wait_reason value `reason` means, from its enumerator's
    name in libgoc's debug information (RT_WAIT_CHAN_RECV: "chan receive")."""
    try:
        for f in gdb.lookup_type("enum rt_wait_reason").fields():
            if f.enumval == reason:
                words = f.name.replace("RT_WAIT_", "").lower().split("_")
                return " ".join("receive" if w == "recv" else w for w in words)
    except gdb.error:
        pass
    return "waiting (%d)" % reason


def _loc_str(loc):
    """"file:line" of a goc_loc value, or "?"."""
    try:
        f = loc["file"]
        if int(f) == 0:
            return "?"
        return "%s:%d" % (f.string(), int(loc["line"]))
    except gdb.error:
        return "?"


def coroutines():
    """Every coroutine record in use, in slab order: gdb.Value of rt_g *."""
    slabs = _static("slabs", "stack.c")
    page = int(_static("page_size", "stack.c"))
    g_type = gdb.lookup_type("struct rt_g")
    rec_size = (g_type.sizeof + 8 + 63) & ~63
    g_ptr = g_type.pointer()
    out = []
    # main under goc_main: its record is not in a slab (stack.c, adopted)
    adopted = _static("adopted", "stack.c")
    if int(adopted) != 0 and int(adopted["state"]) != 0:
        out.append(adopted)
    s = slabs
    while int(s) != 0:
        base = int(s["base"])
        stride = int(s["stride"])
        for i in range(int(s["used"])):
            top = base + page + (i + 1) * stride
            g = gdb.Value(top - rec_size).cast(g_ptr)
            if int(g["state"]) != 0:
                out.append(g)
        s = s["next"]
    out.sort(key=lambda g: int(g["id"]))
    return out


def find(gid):
    for g in coroutines():
        if int(g["id"]) == gid:
            return g
    raise gdb.GdbError("goc: no coroutine %d" % gid)


def _on_stack(g, sp):
    lo = int(g["stack_lo"])
    return lo <= sp < lo + int(g["stack_size"])


def _thread_running(g):
    """The thread whose stack pointer lies on g's stack, if any."""
    cur = gdb.selected_thread()
    frame = gdb.selected_frame() if cur else None
    found = None
    try:
        for t in gdb.selected_inferior().threads():
            t.switch()
            sp = int(gdb.newest_frame().read_register("sp"))
            if _on_stack(g, sp):
                found = t
                break
    finally:
        if cur:
            cur.switch()
            if frame and frame.is_valid():
                frame.select()
    return found


_SAVED = ("rbx", "rbp", "r12", "r13", "r14", "r15", "rsp", "rip")


class _Context:
    """Point the selected thread's registers at parked coroutine g's saved
    context (rt_ctx_switch's frame: mxcsr/x87 word, r15, r14, r13, r12,
    rbx, rbp, return address) and put them back on exit."""

    def __init__(self, g):
        self.g = g
        self.saved = None

    def __enter__(self):
        arch = gdb.selected_frame().architecture().name()
        if "x86-64" not in arch:
            raise gdb.GdbError("goc: switching to a coroutine's context is "
                               "supported on x86-64 only (this is %s)" % arch)
        gdb.newest_frame().select()
        self.saved = {r: int(gdb.parse_and_eval("$" + r)) for r in _SAVED}
        sp = int(self.g["sp"])
        u64 = gdb.lookup_type("unsigned long").pointer()

        def word(off):
            return int(gdb.Value(sp + off).cast(u64).dereference())
        regs = {"r15": word(8), "r14": word(16), "r13": word(24),
                "r12": word(32), "rbx": word(40), "rbp": word(48),
                "rip": word(56), "rsp": sp + 64}
        for r, v in regs.items():
            gdb.execute("set $%s = %d" % (r, v), to_string=True)
        return self

    def __exit__(self, *exc):
        gdb.newest_frame().select()
        for r, v in self.saved.items():
            gdb.execute("set $%s = %d" % (r, v), to_string=True)
        gdb.newest_frame().select()
        return False


def _in_context(g, fn):
    """Run fn() with coroutine g's frames selected."""
    state = int(g["state"])
    if state == 2:
        t = _thread_running(g)
        if t is None:
            raise gdb.GdbError("goc: coroutine %d is running but no thread "
                               "is on its stack" % int(g["id"]))
        cur = gdb.selected_thread()
        t.switch()
        try:
            return fn()
        finally:
            cur.switch()
    if state not in (1, 3):
        raise gdb.GdbError("goc: coroutine %d is not live" % int(g["id"]))
    if int(g["sp"]) == 0:
        raise gdb.GdbError("goc: coroutine %d has not started yet" % int(g["id"]))
    with _Context(g):
        return fn()


def _user_frame():
    """Function and "file:line" of the newest frame outside the runtime."""
    f = gdb.newest_frame()
    fallback = None
    while f is not None:
        sal = f.find_sal()
        name = f.name() or "??"
        fname = sal.symtab.filename if sal.symtab else ""
        where = "%s:%d" % (fname, sal.line) if sal.symtab else "?"
        if fname.endswith((".goc", ".goh")):
            return name, where
        if fallback is None and sal.symtab and not name.startswith(_RUNTIME_FUNCS):
            fallback = (name, where)
        f = f.older()
    return fallback or ("?", "?")


class InfoCoroutines(gdb.Command):
    """List the program's coroutines: id, state, what a parked coroutine
waits on (and where), its spawn site and its current location (the newest
frame in the program's own code)."""

    def __init__(self):
        super().__init__("info coroutines", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        gs = coroutines()
        print("  %-4s %-9s %-34s %-24s %s" % ("Id", "State", "Waiting on",
                                             "Spawned at", "Location"))
        for g in gs:
            gid, state = int(g["id"]), int(g["state"])
            waits = ""
            if state == 3:
                reason = _wait_name(int(g["wait_reason"]))
                waits = "%s at %s" % (reason, _loc_str(g["wait_loc"]))
            spawned = "main" if gid == 1 else _loc_str(g["go_loc"])
            try:
                name, where = _in_context(g, _user_frame)
                now = "%s in %s" % (where, name)
            except gdb.GdbError as e:
                now = str(e)
            cur = "*" if state == 2 and _thread_running(g) == gdb.selected_thread() else " "
            print("%s %-4d %-9s %-34s %-24s %s" % (cur, gid,
                  _STATE_NAMES.get(state, "?"), waits, spawned, now))


class CoroutineCmd(gdb.Command):
    """coroutine N CMD: run gdb command CMD (e.g. bt, bt full, info locals)
with coroutine N's frames selected, as if it were a thread."""

    def __init__(self):
        super().__init__("coroutine", gdb.COMMAND_STACK)

    def invoke(self, arg, from_tty):
        parts = arg.split(None, 1)
        if len(parts) < 2 or not parts[0].isdigit():
            raise gdb.GdbError("usage: coroutine N CMD (e.g. coroutine 2 bt)")
        g = find(int(parts[0]))
        _in_context(g, lambda: gdb.execute(parts[1], from_tty))


class ChanPrinter:
    """A goc__chan (struct goc_chan *)."""

    def __init__(self, val):
        self.val = val

    def to_string(self):
        if int(self.val) == 0:
            return "chan nil"
        try:
            c = self.val.dereference()
            elem = "elem %d bytes" % int(c["elemsize"])
            try:  # make(chan(T)) records T as spelled (lower.c, chan.c)
                if int(c["elem"]) != 0:
                    elem = c["elem"].string()
            except gdb.error:
                pass
            s = ("chan(%s) len %d cap %d" %
                 (elem, int(c["count"]), int(c["cap"])))
            if int(c["closed"]):
                s += " closed"
            for q, what in (("recvq", "receivers"), ("sendq", "senders")):
                n = _waitq_len(c[q])
                if n:
                    s += ", %d %s waiting" % (n, what)
            return s + " @0x%x" % int(self.val)
        except gdb.error:
            return "chan @0x%x (libgoc's debug information is missing)" % int(self.val)


def _waitq_len(q):
    n = 0
    try:
        w = q["head"].cast(gdb.lookup_type("struct rt_waiter").pointer())
        while int(w) != 0 and n < 100000:
            n += 1
            w = w["next"]
    except gdb.error:
        return 0
    return n


def _chan_lookup(val):
    t = val.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        target = t.target().strip_typedefs()
        if target.code == gdb.TYPE_CODE_STRUCT and target.tag == "goc_chan":
            return ChanPrinter(val)
    return None


if not getattr(gdb, "_goc_support_loaded", False):
    gdb._goc_support_loaded = True
    InfoCoroutines()
    CoroutineCmd()
    gdb.pretty_printers.append(_chan_lookup)
