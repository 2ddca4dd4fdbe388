typedef int T;
int f(void)
{
    {
        int T;
        T = 1;
    }
    T y = 2;
    return y;
}
