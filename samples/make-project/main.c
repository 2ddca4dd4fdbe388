/* main.c - plain C entry point: start the goc runtime and run app_main
 * (in squares.goc) as the first coroutine. */
#include <goc.h>

int app_main(int argc, char **argv);

int main(int argc, char **argv)
{
    goc_main(app_main, argc, argv);
}
