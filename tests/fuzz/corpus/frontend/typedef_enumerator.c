typedef int T;
void f(void)
{
    enum { T = 3, U = T + 1 };
    int x = T;
    (void)x;
}
T z;
