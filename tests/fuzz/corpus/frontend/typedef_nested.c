typedef int T;
int main(void)
{
    int base = 10;
    int add(int T) { return base + T; }
    T y = add(5);
    return y;
}
