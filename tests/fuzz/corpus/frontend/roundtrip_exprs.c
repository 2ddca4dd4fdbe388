/* Expressions, literals, builtins that take types, pragmas. */

struct s { int a; int b[4]; struct { int c; } in; };

static int vsum(int n, ...)
{
    va_list ap;
    __builtin_va_start(ap, n);
    int s = 0;
    while (n-- > 0)
        s += __builtin_va_arg(ap, int);
    __builtin_va_end(ap);
    return s;
}

#define PUSH _Pragma("GCC diagnostic push")
#define POP _Pragma("GCC diagnostic pop")

int main(void)
{
    int x = 5, y = -3, r;
    unsigned u = 0xFFu;
    double h = 0x1.8p1, e = 1e-3, f = .5f;
    long long ll = 123456789012LL;
    r = x + y * 2 - x / 2 % 3;
    r += (x << 2) >> 1;
    r -= x & y | x ^ y;
    r *= !x || (x && ~y);
    r = r > 0 ? r : -r;
    r = x < y, r = x <= y, r = x >= y, r = x == y, r = x != y, r = x > y;
    int cmp = x<-1, cmp2 = y<-1;
    x++, ++x, x--, --x;
    x %= 3; x <<= 1; x >>= 1; x &= 7; x |= 8; x ^= 1; x /= 1;
    int *px = &x;
    struct s sv = { 1, { 2, 3 }, { 4 } }, *ps = &sv;
    printf("%d %d %d %d %d %d\n", r, cmp, cmp2, *px, ps->b[1], sv.in.c);
    printf("%g %g %g %lld %u\n", h, e, f, ll, u);
    printf("%d %d %d\n", (int)sizeof(struct s), (int)sizeof sv.a, (int)_Alignof(struct s));
    printf("%d %d\n", (int)__builtin_offsetof(struct s, in.c), (int)__builtin_offsetof(struct s, b[2]));
    printf("%d %d\n", __builtin_types_compatible_p(int, int), __builtin_types_compatible_p(int, long));
    printf("%d\n", vsum(3, 1, 2, 3));
    printf("%s\n", _Generic(x, int: "int", default: "other"));
    const char *s8 = u8"utf8" "cat";
    const char16_t *s16 = u"16";
    const char32_t *s32 = U"32";
    const wchar_t *sw = L"w";
    char c = 'a', c2 = '\n', c3 = '\x41';
    int wc = L'w' + u'x' + U'y';
    printf("%s %d %d %d %c %d %c %d\n", s8, (int)s16[0], (int)s32[0], (int)sw[0], c, c2, c3, wc);
    int ar<:2:> = <%1, 2%>;
    int \u00e9t\u00e9 = ar<:1:>;
    PUSH int r2 = x + 1; POP
    double _Complex z = 1.0 + 2.0i;
    printf("%d %d %d %g\n", ar[0], \u00e9t\u00e9, r2, __real__ z + __imag__ z);
    return 0;
}
