typedef int T;
int f(a, b)
    int a;
    char *b;
{
    return a + *b;
}
T after;
int h(T2) long T2; { return (int)T2; }
T last;
