/*
 * driver.h - the goc command line (driver.c): what main.c calls.
 */
#ifndef GOC_DRIVER_H
#define GOC_DRIVER_H

/* Entry point of the goc executable. */
int driver_main(int argc, char **argv);

#endif /* GOC_DRIVER_H */
