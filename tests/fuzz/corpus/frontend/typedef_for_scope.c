typedef int T;
void f(void)
{
    for (int T = 0; T < 3; T++)
        ;
    T after = 1;
    (void)after;
    if (after) {
        typedef long T;
        T inner;
    }
    T again;
}
