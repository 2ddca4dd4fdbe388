
# 760 "/usr/include/stdio.h" 3 4
extern int fgetpos (FILE *__restrict __stream, fpos_t *__restrict __pos);




extern int fsetpos (FILE *__stream, const fpos_t *__pos);
# 786 "/usr/include/stdio.h" 3 4
extern void clearerr (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__));

extern int feof (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;

extern int ferror (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;



extern void clearerr_unlocked (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__));
extern int feof_unlocked (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;
extern int ferror_unlocked (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;







extern void perror (const char *__s);




extern int fileno (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;




extern int fileno_unlocked (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;
# 823 "/usr/include/stdio.h" 3 4
extern int pclose (FILE *__stream);





extern FILE *popen (const char *__command, const char *__modes)
  __attribute__ ((__malloc__)) __attribute__ ((__malloc__ (pclose, 1))) ;






extern char *ctermid (char *__s) __attribute__ ((__nothrow__ , __leaf__))
  __attribute__ ((__access__ (__write_only__, 1)));
# 867 "/usr/include/stdio.h" 3 4
extern void flockfile (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__));



extern int ftrylockfile (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__)) ;


extern void funlockfile (FILE *__stream) __attribute__ ((__nothrow__ , __leaf__));
# 885 "/usr/include/stdio.h" 3 4
extern int __uflow (FILE *);
extern int __overflow (FILE *, int);
# 909 "/usr/include/stdio.h" 3 4

# 3 "../roundtrip/stmts.c" 2


# 4 "../roundtrip/stmts.c"
static int classify(int x)
{
    switch (x) {
    case 0:
        return 0;
    case 1 ... 9:
        return 1;
    case 10:
    case 11:
        break;
    default:
        return 3;
    }
    return 2;
}

static int dispatch(int i)
{
    static void *labels[] = { &&zero, &&one };
    goto *labels[i & 1];
zero:
    return 100;
one:
    return 101;
}

static int local_labels(int n)
{
    __label__ out;
    int r = 0;
    for (;;) {
        if (++r > n)
            goto out;
    }
out:
    return r;
}

int main(void)
{
    int total = 0, i = 0;
    while (i < 3)
        total += i++;
    do
        total += 10;
    while (0);
    for (int j = 0, k = 2; j < k; j++)
        total += j;
    for (i = 0; i < 2; i++) {
        if (i == 0)
            continue;
        else if (i == 1)
            break;
        else
            total = -1;
    }
    int se = ({ int t = 5; t * 2; });
    int elvis = total ?: 7;
    int zero = 0;
    int elvis0 = zero ?: 7;
    __asm__ __volatile__("" ::: "memory");
    asm("");
    { ; }
    ;
    printf("%d %d %d %d\n", total, se, elvis, elvis0);
    printf("%d %d %d %d\n", classify(0), classify(5), classify(11), classify(42));
    printf("%d %d %d\n", dispatch(0), dispatch(1), local_labels(4));
    return 0;
}
