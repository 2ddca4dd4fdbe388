#!/usr/bin/env python3
"""faults.py: the network samples under faults, over loopback.

  faults.py echo|http --server BIN [--file PATH] [--seed N]
  faults.py echo|http --goc GOC --server SAMPLE.goc --work DIR [...]

Starts BIN (samples/echo_server or samples/http_server, built by goc; with
--goc, `goc build -O2` builds it from the sample first, see build()) on
127.0.0.1:0 and attacks it with asyncio clients, phase by phase:

  concurrent  1,000 connections open at once; each echo client sends up to
              32 KiB in random pieces, each HTTP client makes three
              keep-alive requests (/, a file, /) on one connection;
  churn       3,000 connections opened and closed quickly, half of them
              closed at once, half after one exchange;
  reset       500 clients that reset the connection (SO_LINGER 0) in the
              middle of a request or before reading the answer;
  slowloris   (http) 300 clients sending one byte a second, reconnecting
              when cut, while 40 legitimate GETs arrive one every 0.25 s;
  fdlimit     a second server started under `ulimit -n 256`, and 1,000
              clients at once (echo clients retry a connection the server
              had to drop: it is at its descriptor limit).

Every echoed byte and every HTTP body is compared with what was sent or
with the file.  After the phases each server must still answer, its open
descriptors (/proc/PID/fd) must come back to the count before the phases
exactly, and its RSS (/proc/PID/status) to at most RSS_SLACK above it
(pooled coroutine stacks and malloc's arenas keep some memory).  Prints
one line per phase with counts and times; exit status 1 on any failure.
"""
import argparse
import asyncio
import os
import random
import resource
import socket
import struct
import subprocess
import sys
import tempfile
import time

RSS_SLACK_KB = 16 * 1024
RSS_GROWTH_KB = 4 * 1024
ROUNDS = 3
FD_SETTLE_S = 15          # HTTP connections cut by the 5 s deadline
PHASE_TIMEOUT_S = 90


class Failure(Exception):
    pass


class Server:
    def __init__(self, argv, nofile=None):
        def limit():
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        # stderr to a file: a pipe nobody reads could fill and block it
        self.err = tempfile.TemporaryFile()
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                  stderr=self.err, preexec_fn=limit)
        line = self.p.stdout.readline().decode()
        if not line.startswith('listening on '):
            self.p.wait()
            raise Failure('server did not start: %r %s' % (line, self.stderr()))
        host, port = line.split()[-1].rsplit(':', 1)
        self.addr = (host, int(port))
        self.pid = self.p.pid

    def alive(self):
        if self.p.poll() is not None:
            raise Failure('server exited with %s: %s' % (
                self.p.returncode, self.stderr()))

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors='replace')[-2000:]

    def fds(self):
        return len(os.listdir('/proc/%d/fd' % self.pid))

    def rss_kb(self):
        with open('/proc/%d/status' % self.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


def log(msg):
    print(msg, flush=True)


# ---- echo clients ------------------------------------------------------

async def echo_once(addr, size, rng, pieces=True):
    """Send `size` random bytes, read them back, compare; the byte count."""
    data = rng.randbytes(size)
    r, w = await asyncio.open_connection(*addr)
    try:
        async def send():
            i = 0
            while i < size:
                n = rng.randint(1, 8192) if pieces else size
                w.write(data[i:i + n])
                await w.drain()
                i += n
        t = asyncio.ensure_future(send())
        try:
            got = await r.readexactly(size) if size else b''
        finally:
            if not t.done():
                t.cancel()
            try:
                await t
            except asyncio.CancelledError:
                pass
    finally:
        w.close()
    if got != data:
        raise Failure('echo: %d bytes came back different' % size)
    return size


async def echo_retry(addr, size, rng, deadline):
    """echo_once until it succeeds (the server may drop a connection when
    it is out of descriptors); (bytes, retries)."""
    tries = 0
    while True:
        try:
            return await echo_once(addr, size, rng), tries
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            tries += 1
            if time.time() > deadline:
                raise Failure('echo: no success before the deadline')
            await asyncio.sleep(rng.uniform(0.01, 0.2))


# ---- HTTP clients ------------------------------------------------------

async def http_read(r):
    head = await r.readuntil(b'\r\n\r\n')
    status = int(head.split(b' ', 2)[1])
    clen = 0
    for line in head.split(b'\r\n'):
        if line.lower().startswith(b'content-length:'):
            clen = int(line.split(b':', 1)[1])
    body = await r.readexactly(clen)
    return status, body


def get(path, close=False):
    return ('GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n' % (
        path, 'Connection: close\r\n' if close else '')).encode()


async def http_session(addr, reqs, expect):
    """One connection, the requests in turn; each answer checked."""
    r, w = await asyncio.open_connection(*addr)
    try:
        for k, path in enumerate(reqs):
            w.write(get(path, close=k == len(reqs) - 1))
            status, body = await http_read(r)
            if status != 200 or body != expect[path]:
                raise Failure('http: GET %s: status %d, %d bytes' %
                              (path, status, len(body)))
    finally:
        w.close()
    return len(reqs)


# ---- faults shared by both servers ---------------------------------------

async def churn(addr, n, rng, exchange):
    sem = asyncio.Semaphore(100)
    done = [0, 0]

    async def one(i):
        async with sem:
            if i % 2:
                _, w = await asyncio.open_connection(*addr)
                w.close()
                done[0] += 1
            else:
                await exchange(rng)
                done[1] += 1
    await asyncio.gather(*(one(i) for i in range(n)))
    return done


async def resets(addr, n, rng, partial, full):
    sem = asyncio.Semaphore(100)

    async def one(i):
        async with sem:
            r, w = await asyncio.open_connection(*addr)
            w.write(partial(rng) if i % 2 else full(rng))
            await w.drain()
            if i % 4 == 0:
                await asyncio.sleep(0.001)
            sock = w.get_extra_info('socket')
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack('ii', 1, 0))
            w.transport.abort()
    await asyncio.gather(*(one(i) for i in range(n)))
    return n


async def baseline(srv):
    """fds and RSS once the fd count has held still for half a second."""
    last, since = srv.fds(), time.time()
    while time.time() - since < 0.5:
        await asyncio.sleep(0.1)
        now = srv.fds()
        if now != last:
            last, since = now, time.time()
    return last, srv.rss_kb()


async def settle(srv, base_fds, base_rss, name):
    """fds back to exactly base_fds, RSS within RSS_SLACK_KB of base_rss."""
    t0 = time.time()
    while srv.fds() != base_fds and time.time() - t0 < FD_SETTLE_S:
        await asyncio.sleep(0.2)
    srv.alive()
    fds, rss = srv.fds(), srv.rss_kb()
    log('%s: after the phases: %d fds (before: %d, settled in %.1f s), '
        'RSS %d KiB (before: %d KiB, allowed +%d KiB)' % (
            name, fds, base_fds, time.time() - t0, rss, base_rss,
            RSS_SLACK_KB))
    if fds != base_fds:
        raise Failure('%s: %d fds open, %d before' % (name, fds, base_fds))
    if rss > base_rss + RSS_SLACK_KB:
        raise Failure('%s: RSS %d KiB, %d KiB before' % (name, rss, base_rss))


async def rounds(srv, what, concurrent):
    """ROUNDS runs of concurrent(), each logged with its peak fds and RSS;
    RSS once the fds are back after the last round may exceed that after
    the first by at most RSS_GROWTH_KB (no leak per connection)."""
    after = []
    for k in range(ROUNDS):
        peak = [0, 0]

        async def watch():
            while True:
                peak[0] = max(peak[0], srv.fds())
                peak[1] = max(peak[1], srv.rss_kb())
                await asyncio.sleep(0.05)
        wt = asyncio.ensure_future(watch())
        n, t = await phase('concurrent', concurrent())
        wt.cancel()
        fds, _ = await baseline(srv)
        # idle stacks go back to the system within two of the scavenger's
        # 250 ms periods (docs/runtime.md, "Returning memory")
        await asyncio.sleep(1.0)
        after.append(srv.rss_kb())
        log((what + ', %.1f s (round %d: peak %d fds, %d KiB RSS; '
             'after: %d fds, %d KiB RSS)') % (n, t, k + 1, peak[0], peak[1],
                                              fds, after[-1]))
    if after[-1] > after[0] + RSS_GROWTH_KB:
        raise Failure('RSS grew from %d KiB after round 1 to %d KiB after '
                      'round %d' % (after[0], after[-1], ROUNDS))


async def phase(name, coro):
    t0 = time.time()
    res = await asyncio.wait_for(coro, PHASE_TIMEOUT_S)
    return res, time.time() - t0


# ---- the two servers -------------------------------------------------------

async def run_echo(args, rng):
    srv = Server([args.server, '127.0.0.1:0'])
    lim = None
    try:
        a = srv.addr
        await echo_once(a, 100, rng)
        base_fds, base_rss = await baseline(srv)

        async def concurrent():
            sizes = [rng.randint(0, 32768) for _ in range(1000)]
            return sum(await asyncio.gather(
                *(echo_once(a, s, rng) for s in sizes)))
        await rounds(srv, 'echo concurrent: 1000 connections at once, '
                     '%d bytes echoed and verified', concurrent)
        (closed, exch), t = await phase('churn', churn(
            a, 3000, rng, lambda rng: echo_once(a, rng.randint(1, 100), rng)))
        log('echo churn: %d connections closed at once, %d after an echo, '
            '%.1f s' % (closed, exch, t))
        n, t = await phase('reset', resets(
            a, 500, rng, lambda rng: rng.randbytes(rng.randint(1, 4096)),
            lambda rng: rng.randbytes(rng.randint(4096, 65536))))
        log('echo reset: %d connections reset mid-stream, %.1f s' % (n, t))
        await echo_once(a, 65536, rng)
        await settle(srv, base_fds, base_rss, 'echo')

        lim = Server([args.server, '127.0.0.1:0'], nofile=256)
        la = lim.addr
        await echo_once(la, 100, rng)
        lbase_fds, lbase_rss = await baseline(lim)
        deadline = time.time() + PHASE_TIMEOUT_S - 10
        res, t = await phase('fdlimit', asyncio.gather(
            *(echo_retry(la, rng.randint(1, 4096), rng, deadline)
              for _ in range(1000))))
        log('echo fdlimit: server at ulimit -n 256, 1000 clients at once: '
            'all %d bytes verified, %d connections dropped by the server '
            'and retried, %.1f s' % (sum(b for b, _ in res),
                                      sum(r for _, r in res), t))
        await echo_once(la, 65536, rng)
        await settle(lim, lbase_fds, lbase_rss, 'echo fdlimit')
    finally:
        srv.stop()
        if lim:
            lim.stop()


async def run_http(args, rng):
    with open(args.file, 'rb') as f:
        fbody = f.read()
    fname = os.path.basename(args.file)
    expect = {'/': b'Hello, World!\n', '/file/' + fname: fbody}
    reqs = ['/', '/file/' + fname, '/']
    root = os.path.dirname(os.path.abspath(args.file))
    srv = Server([args.server, '127.0.0.1:0', root])
    lim = None
    try:
        a = srv.addr
        await http_session(a, ['/'], expect)
        base_fds, base_rss = await baseline(srv)

        async def concurrent():
            return sum(await asyncio.gather(
                *(http_session(a, reqs, expect) for _ in range(1000))))
        await rounds(srv, 'http concurrent: 1000 keep-alive connections at '
                     'once, %d requests answered and verified', concurrent)
        (closed, exch), t = await phase('churn', churn(
            a, 3000, rng, lambda rng: http_session(a, ['/'], expect)))
        log('http churn: %d connections closed at once, %d after a GET, '
            '%.1f s' % (closed, exch, t))
        req = get('/file/' + fname)
        n, t = await phase('reset', resets(
            a, 500, rng, lambda rng: req[:rng.randint(1, len(req) - 1)],
            lambda rng: req))
        log('http reset: %d connections reset mid-request or before the '
            'answer, %.1f s' % (n, t))
        await http_session(a, reqs, expect)
        await settle(srv, base_fds, base_rss, 'http')

        lim = Server([args.server, '127.0.0.1:0', root], nofile=256)
        la = lim.addr
        await http_session(la, ['/'], expect)
        lbase_fds, lbase_rss = await baseline(lim)
        await slowloris(la, rng, expect)
        res, t = await phase('fdlimit', asyncio.gather(
            *(http_session(la, ['/'], expect) for _ in range(1000))))
        log('http fdlimit: server at ulimit -n 256, 1000 GETs at once, all '
            'answered and verified, %.1f s' % t)
        await settle(lim, lbase_fds, lbase_rss, 'http fdlimit')
    finally:
        srv.stop()
        if lim:
            lim.stop()


async def slowloris(a, rng, expect):
    """300 clients trickling a request head one byte a second (reconnecting
    when the server cuts them) while 40 GETs must all be answered."""
    stop = asyncio.Event()
    cut = []

    async def slow():
        """Trickle a head until the server cuts us (count it, with how
        long it let us trickle), then reconnect; until stop."""
        head = b'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + b'a' * 200
        while not stop.is_set():
            t0 = time.time()
            try:
                r, w = await asyncio.open_connection(*a)
                for byte in head:
                    w.write(bytes([byte]))
                    await w.drain()
                    try:
                        await asyncio.wait_for(stop.wait(), 1.0)
                        break
                    except asyncio.TimeoutError:
                        pass
                    if r.at_eof():
                        cut.append(time.time() - t0)
                        break
                w.close()
            except (ConnectionError, OSError):
                cut.append(time.time() - t0)
                await asyncio.sleep(0.1)

    slows = [asyncio.ensure_future(slow()) for _ in range(300)]
    await asyncio.sleep(2)            # let them take every slot
    lat, failed = [], []

    async def legit(k):
        await asyncio.sleep(0.25 * k)
        t0 = time.time()
        try:
            await asyncio.wait_for(http_session(a, ['/'], expect), 30)
            lat.append(time.time() - t0)
        except (OSError, asyncio.IncompleteReadError,
                asyncio.TimeoutError) as e:
            failed.append(repr(e))
    t0 = time.time()
    await asyncio.gather(*(legit(k) for k in range(40)))
    stop.set()
    await asyncio.gather(*slows)
    if failed:
        raise Failure('slowloris: %d of 40 legitimate GETs failed (%s)' %
                      (len(failed), failed[0]))
    if not cut:
        raise Failure('slowloris: the server cut no slow client: is its '
                      'deadline per read rather than per request?')
    lat.sort()
    log('http slowloris: server at ulimit -n 256, 300 clients sending a '
        'byte a second, cut %d times by the server after %.1f s to %.1f s '
        '(connect included); 40 of 40 GETs answered, latency median %.2f s, '
        'max %.2f s; %.1f s' % (len(cut), min(cut), max(cut),
                                lat[len(lat) // 2], lat[-1], time.time() - t0))


def build(args):
    """goc build -O2 the sample; with GOC_SAMPLE_LIB (another libgoc, such
    as the poll(2) backend's) and GOC_SAMPLE_INC (its goc.h directory),
    translate it and link that library instead, as tests/io/net_sample.sh
    does."""
    os.makedirs(args.work, exist_ok=True)
    out = os.path.join(args.work, os.path.basename(args.server)[:-4])
    lib = os.environ.get('GOC_SAMPLE_LIB')
    if not lib:
        subprocess.run([args.goc, 'build', '-O2', args.server, '-o', out],
                       check=True)
        return out
    subprocess.run([args.goc, args.server, '-o', out + '.c'], check=True)
    subprocess.run([os.environ.get('CC', 'cc'), '-std=gnu11', '-O2',
                    '-I' + os.environ['GOC_SAMPLE_INC'], out + '.c', lib,
                    '-lpthread', '-o', out], check=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('mode', choices=['echo', 'http'])
    ap.add_argument('--server', required=True)
    ap.add_argument('--file', help='(http) a file the server serves')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--goc', help='build --server from .goc with this')
    ap.add_argument('--work', default='.', help='where --goc builds')
    args = ap.parse_args()
    if args.goc:
        args.server = build(args)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 4096:
        print('SKIPPED: the client needs 4096 descriptors, the hard limit '
              'is %d' % hard)
        return 77
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    rng = random.Random(args.seed)
    t0 = time.time()
    try:
        asyncio.run(run_echo(args, rng) if args.mode == 'echo'
                    else run_http(args, rng))
    except Failure as e:
        print('FAIL: %s' % e)
        return 1
    except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError) as e:
        print('FAIL: a client saw %r' % e)
        return 1
    log('%s: all phases passed in %.1f s' % (args.mode, time.time() - t0))
    return 0


if __name__ == '__main__':
    sys.exit(main())
