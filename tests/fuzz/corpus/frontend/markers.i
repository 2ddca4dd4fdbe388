# 1 "x.goc"
# 1 "h.h" 1 3
int select(int);
# 3 "x.goc" 2
int f(int x) { return x<-1 ? select(1) : 0; }
