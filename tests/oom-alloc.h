/* A countdown allocator for out-of-memory tests, in SQLite's way: armed at
 * n, the nth allocation from then on fails (and, when persistent, every one
 * after it too). The test executable is linked with -Wl,--wrap for malloc,
 * calloc, realloc, strdup and strndup (tests/oom.cmake), so only calls made
 * by statically linked code (the engine and the test) come here; GLib,
 * cairo, Pango, libxml2 and the other shared libraries keep their own
 * allocator, which aborts on failure by design and is nothing to test.
 * Thread-safe: the job runners allocate on worker threads. */
#ifndef GP_OOM_ALLOC_H
#define GP_OOM_ALLOC_H

#include <stdbool.h>

/* Starts counting allocations from zero; the nth (1-based) fails, and when
 * persistent every later one too. n = 0 counts without failing. */
void oom_arm(long n, bool persistent);
/* Stops failing; oom_count() keeps the number counted since oom_arm. */
void oom_disarm(void);
/* Allocations asked for since the last oom_arm (failed ones included). */
long oom_count(void);
/* How many allocations were refused since the last oom_arm. */
long oom_refused(void);

#endif
