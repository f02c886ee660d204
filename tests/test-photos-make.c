/* test-photos-make: benchmark data made from the astronaut portrait.
 *
 *   test-photos-make photos DIR N      N conforming 480x640 photos, ID-named
 *   test-photos-make originals DIR N   N 24-megapixel camera originals
 *                                      (6000x4000, sensor noise, quality 92,
 *                                      the person off-centre), ID-named
 *
 * Each photo varies a little in scale and position, so no two are alike.
 * Nothing it writes is committed: it is made where the benchmark runs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-photos-fixture.h"

static unsigned next(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

static void add_noise(cairo_surface_t *s, int amplitude, unsigned *seed)
{
    cairo_surface_flush(s);
    uint32_t *px = (uint32_t *)(void *)cairo_image_surface_get_data(s);
    size_t n = (size_t)cairo_image_surface_get_stride(s) / 4 * (size_t)cairo_image_surface_get_height(s);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = px[i], out = 0xFF000000u;
        for (int c = 0; c < 3; c++) {
            int x = (int)((v >> (8 * c)) & 255) + (int)(next(seed) % (unsigned)(2 * amplitude + 1)) - amplitude;
            out |= (uint32_t)(x < 0 ? 0 : x > 255 ? 255 : x) << (8 * c);
        }
        px[i] = out;
    }
    cairo_surface_mark_dirty(s);
}

static int write(const char *dir, unsigned i, const unsigned char *data, size_t size)
{
    char id[19], path[4096];
    tpf_id(i, id);
    /* tpf_id has room for 1000 serials; the region digits take the rest. */
    id[4] = (char)('0' + (i / 1000) % 10);
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int k = 0; k < 17; k++)
        sum += (id[k] - '0') * weights[k];
    id[17] = "10X98765432"[sum % 11];
    snprintf(path, sizeof path, "%s/%s.jpg", dir, id);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "test-photos-make: cannot write %s\n", path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "photos") != 0 && strcmp(argv[1], "originals") != 0)) {
        fprintf(stderr, "usage: test-photos-make photos|originals DIR N\n");
        return 1;
    }
    if (tpf_cutout() == NULL) {
        fprintf(stderr, "test-photos-make: %s is missing (apt-get install python3-skimage)\n", TPF_ASTRONAUT_PNG);
        return 1;
    }
    unsigned n = (unsigned)strtoul(argv[3], NULL, 10), seed = 20250601;
    bool originals = strcmp(argv[1], "originals") == 0;
    for (unsigned i = 0; i < n; i++) {
        tpf_place p = tpf_standard();
        if (originals) {
            p.width = 6000;
            p.height = 4000;
            p.scale = 7.5 + (next(&seed) % 100) / 50.0;
            p.head_top = 500 + next(&seed) % 500;
            p.centre_x = 1800 + next(&seed) % 2400;
        } else {
            p.scale = 2.2 + (next(&seed) % 100) / 500.0;
            p.head_top = 70 + next(&seed) % 20;
            p.centre_x = 230 + next(&seed) % 20;
        }
        cairo_surface_t *s = tpf_compose(&p);
        size_t size;
        int q;
        unsigned char *jpeg;
        if (originals) {
            add_noise(s, 6, &seed);
            jpeg = tpf_encode(s, 92, true, 1, 72, &size);
        } else {
            jpeg = tpf_encode_fit(s, 38 * 1024, &q, &size);
        }
        cairo_surface_destroy(s);
        int rc = jpeg != NULL ? write(argv[2], i, jpeg, size) : 1;
        free(jpeg);
        if (rc != 0)
            return rc;
    }
    return 0;
}
