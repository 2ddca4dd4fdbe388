/* Declarations: declarators, tags, initializers, C11 and GNU type forms. */

typedef int T;
typedef int (*binop)(int, int);
typedef struct node { struct node *next; T value; } node;
typedef union { int i; float f; } num;
enum color { RED, GREEN = 5, BLUE, };

struct flags {
    unsigned a : 1, b : 3;
    unsigned : 0;
    int c;
    struct { int inner_x, inner_y; };
    union { long l; char bytes[8]; };
};

static int add(int a, int b) { return a + b; }
static int (*pick(int which))(int, int) { return which ? add : NULL; }
static int sum_array(int n, const int a[static n]) { int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }
static int (*table[2])(int, int) = { add, add };
static const char *const names[] = { [BLUE] = "blue", [RED] = "red", [1 ... 2] = "gap" };
static int grid[2][3] = { { 1, 2, 3 }, [1] = { [2] = 9 } };
static _Alignas(16) char aligned16[16];
static alignas(double) unsigned char aligned_d[sizeof(double)];
_Static_assert(sizeof(struct flags) >= sizeof(int), "flags");
static __int128 wide = (__int128)1 << 100;
static unsigned __int128 uwide;
static _Atomic(int) atomic_counter;
static _Atomic long atomic_long;
static __typeof__(wide) wide2;
static typeof(int *) ip;
extern int external_decl(void) __asm__("external_decl_renamed");
static inline __attribute__((always_inline)) int twice(int x) { return 2 * x; }
static _Noreturn void never(void);
static __thread int tls_var;
static _Thread_local int tls_var2;
static double _Complex zc;
extern int *volatile restrict restricted_ptr;
T (T2);
int T3, *T4 = 0, T5[3] = { 1, 2, 3 };
static int kandr();

int main(void)
{
    node n2 = { 0, 2 }, n1 = { &n2, 1 };
    num u = { .f = 1.5f };
    struct flags fl = { .a = 1, .b = 5, .c = 7, .inner_x = 3, .l = 4 };
    binop op = pick(1);
    int arr[] = { 4, 5, 6 };
    __auto_type automatic = sum_array(3, arr);
    int *p = (int[]){ 7, 8, 9 };
    struct node *np = &(struct node){ .value = 42 };
    T local = (T)3;
    printf("%d %d %.1f %u %u %d %d\n", n1.next->value, n1.value, u.f, fl.a, fl.b, fl.c, fl.inner_x);
    printf("%d %d %d %d %d\n", op(2, 3), table[1](4, 5), automatic, p[1], np->value);
    printf("%s %s %s %s %d %d\n", names[RED], names[1], names[2], names[BLUE], grid[0][2], grid[1][2]);
    printf("%d %d %d %d\n", (int)(wide >> 100), twice(local), (int)sizeof aligned16, (int)_Alignof(double));
    printf("%d %d %d %d\n", GREEN, BLUE, (int)(sizeof(aligned_d) == sizeof(double)), tls_var + tls_var2);
    atomic_counter = 1;
    (void)atomic_long; (void)wide2; (void)ip; (void)uwide; (void)zc; (void)T2; (void)T3; (void)T4; (void)T5;
    printf("%d\n", atomic_counter + (int)offsetof(struct flags, c));
    return 0;
}
