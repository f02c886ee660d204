#include "array-private.h"

#include <stdint.h>
#include <stdlib.h>

bool gp_array_reserve(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    if (elem_size != 0 && n > SIZE_MAX / elem_size)
        return false;
    void *p = realloc(*items, n * elem_size);
    if (p == NULL)
        return false;
    *items = p;
    *cap = n;
    return true;
}
