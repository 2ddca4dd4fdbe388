typedef int T;
struct s {
    T T;
    int U;
};
T after;
void f(struct s *p) { p->T = (T)p->U; }
