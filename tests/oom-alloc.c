/* The countdown allocator behind tests/oom-alloc.h. The __wrap_ functions
 * are what the linker substitutes for the engine's calls (-Wl,--wrap);
 * __real_ ones reach the C library's allocator, or the sanitizer's when
 * the build has ASan, which intercepts malloc under its own name. */
#include "oom-alloc.h"

#include <execinfo.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include <stddef.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t nmemb, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t nmemb, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static atomic_long counted, refused, fail_at;
static atomic_bool armed, persistent_failure;

void oom_arm(long n, bool persistent)
{
    atomic_store(&armed, false);
    atomic_store(&counted, 0);
    atomic_store(&refused, 0);
    atomic_store(&fail_at, n);
    atomic_store(&persistent_failure, persistent);
    atomic_store(&armed, true);
}

void oom_disarm(void) { atomic_store(&armed, false); }
long oom_count(void) { return atomic_load(&counted); }
long oom_refused(void) { return atomic_load(&refused); }

/* Counts one allocation; true when it is to fail. */
static bool allocation_fails(void)
{
    if (!atomic_load(&armed))
        return false;
    long k = atomic_fetch_add(&counted, 1) + 1;
    long n = atomic_load(&fail_at);
    if (n <= 0 || k < n || (k > n && !atomic_load(&persistent_failure)))
        return false;
    /* GP_OOM_TRACE=1 prints where each refused allocation was asked for,
     * to find the site behind a failing n. */
    if (atomic_fetch_add(&refused, 1) == 0 && getenv("GP_OOM_TRACE") != NULL) {
        void *frames[24];
        int depth = backtrace(frames, 24);
        backtrace_symbols_fd(frames, depth, STDERR_FILENO);
    }
    return true;
}

void *__wrap_malloc(size_t size) { return allocation_fails() ? NULL : __real_malloc(size); }
void *__wrap_calloc(size_t nmemb, size_t size) { return allocation_fails() ? NULL : __real_calloc(nmemb, size); }

/* A failed realloc leaves the old block as it was, as the real one does. */
void *__wrap_realloc(void *ptr, size_t size) { return allocation_fails() ? NULL : __real_realloc(ptr, size); }
char *__wrap_strdup(const char *s) { return allocation_fails() ? NULL : __real_strdup(s); }
char *__wrap_strndup(const char *s, size_t n) { return allocation_fails() ? NULL : __real_strndup(s, n); }
