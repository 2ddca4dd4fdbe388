/* Statements, including the GNU forms macros produce. */

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
