#ifndef ENERGYMON_CNCURSESW_SHIM_H
#define ENERGYMON_CNCURSESW_SHIM_H
// Wide-character ncurses; the cast macros Swift cannot import are re-exposed as inline getters.
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <ncursesw/ncurses.h>

static inline attr_t em_a_bold(void) { return A_BOLD; }
static inline attr_t em_a_reverse(void) { return A_REVERSE; }
static inline attr_t em_a_dim(void) { return A_DIM; }
static inline attr_t em_a_normal(void) { return A_NORMAL; }
static inline attr_t em_color_pair(short pair) { return COLOR_PAIR(pair); }
static inline FILE *em_stdout(void) { return stdout; }
static inline FILE *em_stdin(void) { return stdin; }
static inline WINDOW *em_stdscr(void) { return stdscr; }
#endif
