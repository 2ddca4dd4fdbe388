/* Typedef names and the scopes that shadow them; the output depends on
 * every reading being right. */

typedef char T;
typedef long L;

static int param_shadow(int T) { return T * 2; }
static int (*returns_fp(int U))(int) { (void)U; return param_shadow; }

int main(void)
{
    int r = (int)sizeof(T);               /* 1 */
    {
        int T = 5;
        r += T;                           /* 6 */
        {
            typedef short T;
            r += (int)sizeof(T);          /* 8 */
        }
        r += T;                           /* 13 */
    }
    T c = 'a';
    for (int T = 0; T < 3; T++)
        r += T;                           /* 16 */
    enum { L = 100, M = L + 1 };
    r += M;                               /* 117 */
    r += (int)sizeof(T) + param_shadow(4) + returns_fp(0)(1);  /* 128 */
    int x = sizeof(x);                    /* x visible at its '=' */
    printf("%d %c %d\n", r, c, x);
    return 0;
}
