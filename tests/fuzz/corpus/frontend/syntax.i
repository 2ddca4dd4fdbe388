# 0 "../goc/syntax.goc"
# 0 "<built-in>"
# 0 "<command-line>"
# 1 "/usr/include/stdc-predef.h" 1 3 4
# 0 "<command-line>" 2
# 1 "../goc/syntax.goc"

typedef struct pair { int a, b; } pair;
chan(int) global_c;
chan(chan(int)) nested;
chan(pair) *ptrs[2];
typedef chan(long) longs;
struct holder { chan(int) c; };

static void worker(chan(int) c, int v) { c <- v; }

static int all(chan(int) c, chan(int) d, struct holder *h)
{
    chan(int) m = make(chan(int));
    chan(int) b = make(chan(int), 4 + 1);
    int v, ok;
    go worker(c, 1);
    go {
        d <- 2;
    }
    h->c <- 3;
    ptrs[0] == 0 ? (void)0 : (void)0;
    v = <-c;
    v, ok = <-d;
    <-m;
    for (int x : b)
        v += x;
    select {
    case <-c:
        break;
    case v = <-d:
        v++;
    case int w = <-m:
        v += w;
    case v, ok = <-b:
        break;
    case h->c <- v + 1:
    default:
        v = 0;
    }
    select {}
    return v + (int)sizeof(chan(int)) + ok;
}
