/*
 * net.c - TCP helpers over the fd operations: listen on and dial
 * "host:port" for IPv4 and IPv6, with deadlines.
 *
 * Addresses: "127.0.0.1:80", "[::1]:80", "localhost:80", ":80".  An empty
 * host listens on every interface (an IPv6 socket accepting IPv4 too where
 * the system allows, else IPv4) and dials the loopback.  Names go through
 * getaddrinfo, which blocks the worker thread; numeric hosts never wait.
 * Resolution failures set errno to ENOENT (no such host) or EINVAL (a
 * malformed address).
 */
#include "netpoll.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Split addr into host (NULL when empty) and port, in buf. */
static int split(const char *addr, char *buf, size_t size, const char **host,
                 const char **port)
{
    size_t n = strlen(addr);
    const char *colon = strrchr(addr, ':');
    if (!colon || n >= size || !colon[1])
        return -1;
    memcpy(buf, addr, n + 1);
    char *h = buf, *c = buf + (colon - addr);
    *c = 0;
    *port = c + 1;
    if (*h == '[') {
        if (c == h || c[-1] != ']')
            return -1;
        c[-1] = 0;
        h++;
    }
    *host = *h ? h : NULL;
    return 0;
}

static int resolve(const char *addr, int passive, struct addrinfo **res)
{
    char buf[512];
    const char *host, *port;
    if (!addr || split(addr, buf, sizeof buf, &host, &port) < 0) {
        rt_errno = EINVAL;
        return -1;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = passive ? AI_PASSIVE : 0};
    int r = getaddrinfo(host, port, &hints, res);
    if (r == 0)
        return 0;
    if (r != EAI_SYSTEM)
        rt_errno = (r == EAI_SERVICE || r == EAI_FAMILY) ? EINVAL : ENOENT;
    return -1;
}

static int new_socket(int family)
{
#ifdef SOCK_NONBLOCK
    int s = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
#else
    int s = socket(family, SOCK_STREAM, 0);
    if (s >= 0 && (fcntl(s, F_SETFL, O_NONBLOCK) < 0 ||
                   fcntl(s, F_SETFD, FD_CLOEXEC) < 0)) {
        close(s);
        return -1;
    }
#endif
#ifdef SO_NOSIGPIPE
    int one = 1;
    if (s >= 0)
        setsockopt(s, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof one);
#endif
    if (s >= 0)
        rt_fd_fresh(s, RT_PD_SOCK);
    return s;
}

static int listen_on(const struct addrinfo *ai, int dual, int backlog)
{
    int s = new_socket(ai->ai_family), one = 1, zero = 0;
    if (s < 0)
        return -1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (dual && ai->ai_family == AF_INET6)
        setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(s, ai->ai_addr, ai->ai_addrlen) < 0 ||
        listen(s, backlog > 0 ? backlog : SOMAXCONN) < 0) {
        int err = rt_errno;
        goc_close(s);
        rt_errno = err;
        return -1;
    }
    return s;
}

int goc_listen_tcp(const char *addr, int backlog)
{
    struct addrinfo *res;
    if (resolve(addr, 1, &res) < 0)
        return -1;
    int dual = addr[0] == ':', s = -1;
    /* For every interface prefer one dual-stack IPv6 socket. */
    for (int pass = dual ? 0 : 1; pass < 2 && s < 0; pass++)
        for (struct addrinfo *ai = res; ai && s < 0; ai = ai->ai_next)
            if (pass == 1 || ai->ai_family == AF_INET6)
                s = listen_on(ai, dual, backlog);
    int err = rt_errno;
    freeaddrinfo(res);
    rt_errno = err;
    return s;
}

int goc_dial_tcp_at(const char *addr, int64_t deadline, const goc_loc *loc)
{
    char local[520];
    if (addr && addr[0] == ':') { /* no host: the loopback */
        snprintf(local, sizeof local, "localhost%s", addr);
        addr = local;
    }
    struct addrinfo *res;
    if (resolve(addr, 0, &res) < 0)
        return -1;
    int s = -1, err = ECONNREFUSED;
    for (struct addrinfo *ai = res; ai && s < 0; ai = ai->ai_next) {
        s = new_socket(ai->ai_family);
        if (s < 0) {
            err = rt_errno;
            continue;
        }
        if (goc_connect_dl_at(s, ai->ai_addr, ai->ai_addrlen, deadline,
                              loc) < 0) {
            err = rt_errno;
            goc_close(s);
            s = -1;
            if (err == ETIMEDOUT)
                break;
        }
    }
    freeaddrinfo(res);
    if (s < 0) {
        rt_errno = err;
        return -1;
    }
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return s;
}

int goc_dial_tcp(const char *addr, int64_t deadline)
{
    return goc_dial_tcp_at(addr, deadline, NULL);
}

int goc_local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    rt_errno = EAFNOSUPPORT;
    return -1;
}
