/* helper.c - plain C linked into the in-tree goc_add_executable test. */
int add(int a, int b);

int add(int a, int b)
{
    return a + b;
}
