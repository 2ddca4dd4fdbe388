typedef int T;
void f(void)
{
    int T = sizeof(T);
    (void)T;
}
T g;
