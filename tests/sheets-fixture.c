#include "sheets-fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <turbojpeg.h>

#include "gradprint.h"

char *fixture_tempdir(void)
{
    char *dir = strdup("/tmp/gp-test-XXXXXX");
    if (dir == NULL || mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    return dir;
}

void fixture_remove(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static FILE *open_in(const char *dir, const char *name, const char *mode)
{
    char path[1024];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fprintf(stderr, "path too long: %s/%s\n", dir, name);
        exit(2);
    }
    FILE *f = fopen(path, mode);
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    return f;
}

void fixture_write_roster(const char *dir, const fixture_student *s, size_t n)
{
    FILE *f = open_in(dir, "roster.csv", "w");
    fputs("学号,姓名,身份证号,学院,专业,班级\n", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%s,%s,%s,%s,%s\n", s[i].student_no, s[i].name, s[i].id_number, s[i].college, s[i].major,
                s[i].klass);
    fclose(f);
}

void fixture_write_file(const char *dir, const char *name, const void *data, size_t size)
{
    char sub[1024];
    snprintf(sub, sizeof sub, "%s/photos", dir);
    mkdir(sub, 0700);
    FILE *f = open_in(sub, name, "wb");
    fwrite(data, 1, size, f);
    fclose(f);
}

static void paint(unsigned char *px, int w, int x0, int y0, int x1, int y1, unsigned char r, unsigned char g,
                  unsigned char b)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            unsigned char *p = px + 3 * ((size_t)y * (size_t)w + (size_t)x);
            p[0] = r;
            p[1] = g;
            p[2] = b;
        }
}

void fixture_write_photo(const char *dir, const char *id_number, int w, int h, int quality)
{
    unsigned char *px = malloc((size_t)w * (size_t)h * 3);
    paint(px, w, 0, 0, w, h, 0, 200, 0);                       /* green body */
    paint(px, w, 0, 0, w, h / 64 + 1, 255, 255, 0);             /* yellow top band */
    paint(px, w, 0, 0, w / 48, h, 255, 0, 255);                 /* magenta far left */
    paint(px, w, w - w / 48, 0, w, h, 0, 255, 255);             /* cyan far right */
    paint(px, w, w / 12, h / 16, w / 12 + w / 8, h / 16 + w / 8, 255, 0, 0); /* red square, upper left */
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    if (tjCompress2(tj, px, w, 0, h, TJPF_RGB, &jpeg, &size, TJSAMP_444, quality, 0) != 0) {
        fprintf(stderr, "tjCompress2: %s\n", tjGetErrorStr2(tj));
        exit(2);
    }
    char name[64];
    snprintf(name, sizeof name, "%s.jpg", id_number);
    fixture_write_file(dir, name, jpeg, size);
    tjFree(jpeg);
    tjDestroy(tj);
    free(px);
}

unsigned char *fixture_decode_jpeg(const char *path, int *w, int *h, int *subsampling)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)size);
    size_t got = fread(data, 1, (size_t)size, f);
    fclose(f);
    tjhandle tj = tjInitDecompress();
    int colorspace;
    unsigned char *px = NULL;
    if (got == (size_t)size && tjDecompressHeader3(tj, data, (unsigned long)size, w, h, subsampling, &colorspace) == 0) {
        px = malloc((size_t)*w * (size_t)*h * 3);
        if (tjDecompress2(tj, data, (unsigned long)size, px, *w, 0, *h, TJPF_RGB, 0) != 0) {
            free(px);
            px = NULL;
        }
    }
    tjDestroy(tj);
    free(data);
    return px;
}

bool fixture_jfif_density(const char *path, int *units, int *x, int *y)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    unsigned char b[20];
    size_t got = fread(b, 1, sizeof b, f);
    fclose(f);
    if (got < 18 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF || b[3] != 0xE0 || memcmp(b + 6, "JFIF", 5) != 0)
        return false;
    *units = b[13];
    *x = b[14] << 8 | b[15];
    *y = b[16] << 8 | b[17];
    return true;
}

void fixture_id_with_check(const char *first17, char out[19])
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weights[i];
    memcpy(out, first17, 17);
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
}
