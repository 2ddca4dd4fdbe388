int T;
void g(void)
{
    typedef char T;
    T c = 0;
    (void)c;
}
int h(void) { return T; }
