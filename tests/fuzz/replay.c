/*
 * replay.c - run a fuzz harness (fuzz_frontend.c or fuzz_lower.c) once
 * over each input file, without libFuzzer: the corpus and the regression
 * inputs of tests/fuzz replayed by the ordinary compiler's build, under
 * ASan and UBSan where the sanitizer build is on, so that they run in the
 * suite even where clang has no libFuzzer.
 *
 *   replay DIR_OR_FILE...
 *
 * Prints the number of inputs; a crash names the input it was running.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_sink.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *more = realloc(buf, cap *= 2);
            if (!more)
                free(buf);
            buf = more;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 1;
}

static int replay_dir(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), count = 0;
    if (n < 0) {
        perror(dir);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
            S_ISREG(st.st_mode)) {
            int r = replay_file(path);
            if (r < 0)
                count = -1;
            else if (count >= 0)
                count += r;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    int total = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int r = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)
                    ? replay_dir(argv[i]) : replay_file(argv[i]);
        if (r < 0)
            bad = 1;
        else
            total += r;
    }
    printf("replay: %d inputs, no crash\n", total);
    return bad;
}
