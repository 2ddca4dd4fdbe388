/* config.h - how many workers squares.goc starts. */
#define NWORKERS 4
