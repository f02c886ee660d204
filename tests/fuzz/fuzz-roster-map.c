/* Column maps: the input is a mapping file (any bytes: UTF-8, GBK, junk),
 * looked up entry by entry; its first line also goes in as a --map option
 * for a small roster's load. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roster/header-map-private.h"
#include "roster/roster-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gp_header_map map;
    gp_header_map_init(&map);
    gp_error *err = NULL;
    if (gp_header_map_parse(&map, "fuzz-map.txt", data, size, &err) == GP_OK) {
        gp_key key;
        for (size_t i = 0; i < map.count; i++)
            (void)gp_header_map_lookup(&map, map.entries[i].header, &key);
    }
    gp_error_free(err);
    err = NULL;
    gp_header_map_free(&map);

    /* The first line as an option, then as a map for a real load. */
    size_t line = 0;
    while (line < size && data[line] != '\n' && data[line] != '\0')
        line++;
    char *item = malloc(line + 1);
    if (item == NULL)
        return 0;
    memcpy(item, data, line);
    item[line] = '\0';
    const char *items[] = {item};
    gp_roster_options opts = {.map = items, .nmap = 1};
    static const char roster[] = "学号,姓名,行政班级名,备注\n1,王伟,软工2101,x\n";
    gp_roster *r = NULL;
    if (gp_roster_load_memory("fuzz.csv", (const unsigned char *)roster, sizeof roster - 1, &opts, &r, &err) == GP_OK)
        gp_roster_free(r);
    gp_error_free(err);
    free(item);
    return 0;
}
