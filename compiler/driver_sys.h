/*
 * driver_sys.h - the system services the goc command line (driver.c)
 * needs (driver_sys.c): growable argument vectors, child processes, the
 * temporary directory, and locating the runtime.
 */
#ifndef GOC_DRIVER_SYS_H
#define GOC_DRIVER_SYS_H

#include <stddef.h>

/* A NULL-terminated, growable argument vector.  Strings are borrowed. */
typedef struct strv {
    const char **v;
    size_t n, cap;
} strv;

void sv_push(strv *sv, const char *s);
void sv_append(strv *sv, const strv *from);
void sv_free(strv *sv);

/* A string that lives until exit (the driver is a short-lived process). */
char *drv_strdup(const char *s);
char *drv_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The C compiler command goc runs: --cc (given), else $GOC_CC, else $CC
 * unless it runs goc itself (make CC="goc build"), else cc on PATH,
 * skipping goc installed as cc.  -1 after printing why there is none.
 */
int drv_find_cc(strv *out, const char *argv0, const char *given);

/* Split a command such as $CC ("ccache gcc -m32") on blanks. */
void drv_split_command(strv *out, const char *cmd);

/*
 * Run argv[0] (found on PATH) with argv and wait.  With verbose, print the
 * command to stderr first, quoted for a POSIX shell.  With json, relay
 * what it writes to stderr as JSON diagnostics, one object a line.
 * Returns the exit status, 128+signal when killed, or -1 after printing
 * why it could not be started.
 */
int drv_run(const strv *argv, int verbose, int json);

/* drv_run for the C compiler on goc's C: its stderr is captured, and a
 * source excerpt (clang's) that quotes generated C instead of the line the
 * message names is replaced by that line. */
int drv_run_cc(const strv *argv, int verbose, int json);

/*
 * Like drv_run, for goc run: SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to
 * goc by another process are forwarded to the child while goc waits
 * (those from the terminal reach the child directly); *sig is the signal
 * that killed the child, else 0.
 */
int drv_run_program(const strv *argv, int verbose, int *sig);

/* The per-process temporary directory, created on first use and removed
 * at exit (or on SIGINT/SIGTERM/SIGHUP).  NULL after an error was printed. */
const char *drv_tmpdir(void);
/* A path inside it; the file is removed with the directory. */
char *drv_tmpfile(const char *name);
/* Remove path (returned) with the temporary directory. */
char *drv_track(char *path);
void drv_cleanup(void);
/* From now on, a crash of goc itself (a bug) removes the temporary files
 * and exits with status 70, GOC_EXIT_INTERNAL, not with the signal. */
void drv_crash_guard(void);

/* Read a whole file; NULL (errno set) on failure. */
char *drv_read_file(const char *path, size_t *len);

/* Where goc.h and libgoc live.  NULL after an error was printed. */
typedef struct drv_runtime {
    const char *include_dir; /* holds goc.h */
    const char *lib_dir;     /* holds libgoc.a and libgoc.so */
    const char *how;         /* "GOC_ROOT", "build tree" or "install" */
} drv_runtime;
const drv_runtime *drv_find_runtime(const char *argv0);

#endif /* GOC_DRIVER_SYS_H */
