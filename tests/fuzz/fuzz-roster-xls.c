/* XLS rosters through libfreexl. Inputs without the compound-document
 * signature get it prepended, so mutations reach the reader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    unsigned char *owned = NULL;
    const unsigned char *input = data;
    size_t n = size;
    if (size < 8 || memcmp(data, magic, 8) != 0) {
        owned = malloc(size + 8);
        if (owned == NULL)
            return 0;
        memcpy(owned, magic, 8);
        if (size > 0)
            memcpy(owned + 8, data, size);
        input = owned;
        n = size + 8;
    }
    fuzz_load_and_check("fuzz.xls", input, n, NULL);
    free(owned);
    return 0;
}
