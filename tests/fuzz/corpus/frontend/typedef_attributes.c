typedef int T;
[[gnu::unused]] static int a [[gnu::unused]];
__attribute__((unused)) static T b __attribute__((aligned(8)));
[[deprecated("use T")]] typedef long U;
void f([[maybe_unused]] T x)
{
    [[gnu::unused]] T y = 0;
    int arr[2] = { [1] = 3 };
    (void)arr[(int)x];
}
