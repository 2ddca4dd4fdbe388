typedef int T;
int f(int T)
{
    return T + 1;
}
int (*fp(int T))(T);
T g(T x) { return x; }
int (*h(int U))(int T) { T t = U; return (int (*)(int))(long)t; }
