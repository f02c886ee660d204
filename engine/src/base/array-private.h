/* Growing a plain C array: one rule for every list the engine builds up
 * (doubling from 8, overflow-checked), instead of a loop at each site. */
#ifndef GP_ARRAY_PRIVATE_H
#define GP_ARRAY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* Makes room for at least need elements of elem_size bytes in *items,
 * whose capacity is *cap. false (the array untouched) when memory ran out
 * or the size would overflow. */
bool gp_array_reserve(void **items, size_t *cap, size_t need, size_t elem_size);

/* For a typed pointer: true when items has room for element number count
 * (growing it if need be). */
#define GP_ARRAY_ROOM(items, count, cap) \
    gp_array_reserve((void **)&(items), &(cap), (count) + 1, sizeof *(items))

#endif
