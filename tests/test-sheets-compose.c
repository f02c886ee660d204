/* The DCT-domain sheet writer on its own: how the plan cuts the bundled
 * 7-inch sheet, a sheet written from it, and the cases where it must give
 * up so the job draws the sheet the plain way: a record whose text box is
 * not where the plan expected, and ink drawn outside the label region. */
#include <turbojpeg.h>
#include <unistd.h>

#include "gp-test-pdf.h"
#include "gp-test.h"
#include "jobs/fields-private.h"
#include "jobs/sheets-compose-private.h"
#include "photo/photo-private.h"
#include "roster/roster-private.h"
#include "sheets-fixture.h"

int main(void)
{
    gp_context *ctx = NULL;
    gp_error *err = NULL;
    REQUIRE(gp_context_new(NULL, &ctx, &err) == GP_OK, "context");
    char *tpl_path = gp_context_find_template(ctx, "photo-sheet-7in");
    gp_template *tpl = NULL;
    REQUIRE(gp_template_load(ctx, tpl_path, &tpl, &err) == GP_OK, "template");
    gp_snapped_template snapped;
    REQUIRE(gp_sheet_snap_template(tpl, 300, 0, 0, &snapped, &err) == GP_OK, "snap");
    /* Every photo box now starts on a multiple of 8 pixels. */
    for (size_t i = 0; i < snapped.tpl.count; i++) {
        const gp_element *el = &snapped.tpl.elements[i];
        if (el->kind != GP_EL_PHOTO)
            continue;
        double x = el->box.x * 300 / 25.4, y = el->box.y * 300 / 25.4;
        CHECK(fabs(x - 8 * floor(x / 8 + 0.5)) < 1e-6 && fabs(y - 8 * floor(y / 8 + 0.5)) < 1e-6, "slot on the grid");
        CHECK(fabs(el->box.w - tpl->elements[i].box.w) < 1e-9 && fabs(el->box.h - tpl->elements[i].box.h) < 1e-9,
              "slot size kept");
    }
    gp_text_engine *text = NULL;
    REQUIRE(gp_text_engine_new(ctx, &text, &err) == GP_OK, "text engine");
    gp_roster *roster = NULL;
    REQUIRE(gp_roster_load(ctx, GP_SOURCE_DIR "/samples/roster.csv", NULL, &roster, &err) == GP_OK, "roster");
    const gp_record *r = gp_roster_record(roster, 0);
    gp_layout layout;
    gp_layout_init(&layout);
    gp_job_fields fields = {r, tpl->school};
    gp_layout_build(&snapped.tpl, gp_job_field, &fields, text, &layout, NULL, NULL, 0, NULL);
    gp_sheet_plan *plan = NULL;
    REQUIRE(gp_sheet_plan_new(&snapped.tpl, 300, 95, &layout, text, &plan, &err) == GP_OK, "plan");
    gp_sheet_plan_stats st;
    gp_sheet_plan_get_stats(plan, &st);
    CHECK(st.width_px == 1500 && st.height_px == 2100, "page %dx%d", st.width_px, st.height_px);
    CHECK(st.blocks == 188 * 263, "blocks %zu", st.blocks);
    CHECK(st.slots == 12 && st.slots_on_grid == 12, "12 slots on the grid: %d", st.slots_on_grid);
    CHECK(st.edge_blocks == 0, "every photo block from a tile: %zu per sheet", st.edge_blocks);
    /* Photo blocks: 4 x 52 x 73 + 8 x 37 x 52 (all blocks the photos touch). */
    CHECK(st.tile_blocks == 4 * 52 * 73 + 8 * 37 * 52, "tile blocks %zu", st.tile_blocks);
    CHECK(st.label_blocks > 0 && st.label_blocks < st.blocks / 4, "label blocks %zu", st.label_blocks);

    char *photo_path = gp_photo_find(GP_SOURCE_DIR "/samples/photos", gp_record_key(r, GP_KEY_ID_NUMBER));
    gp_photo *photo = NULL;
    cairo_surface_t *pixels = NULL;
    REQUIRE(photo_path && gp_photo_load(photo_path, &photo, &err) == GP_OK && gp_photo_decode(photo, 1, &pixels, &err) == GP_OK,
            "photo");
    gp_sheet_writer *w = NULL;
    REQUIRE(gp_sheet_writer_new(plan, text, &w, &err) == GP_OK, "writer");
    char *dir = fixture_tempdir();
    char path[1100];
    snprintf(path, sizeof path, "%s/sheet.jpg", dir);
    bool done = false;
    CHECK(gp_sheet_writer_write(w, &layout, pixels, path, 0, &done, &err) == GP_OK && done, "sheet written");
    size_t size = 0;
    unsigned char *jpeg = gp_pdf_slurp(path, &size);
    tjhandle tj = tjInitDecompress();
    int jw = 0, jh = 0, ss = -1, cs;
    CHECK(jpeg && tjDecompressHeader3(tj, jpeg, (unsigned long)size, &jw, &jh, &ss, &cs) == 0 && jw == 1500 &&
              jh == 2100 && ss == TJSAMP_444,
          "1500x2100 4:4:4");
    unsigned char *rgb = malloc(1500 * 2100 * 3);
    CHECK(jpeg && tjDecompress2(tj, jpeg, (unsigned long)size, rgb, 1500, 0, 2100, TJPF_RGB, TJFLAG_STOPONWARNING) == 0,
          "decodes strictly");
    free(rgb);
    free(jpeg);
    tjDestroy(tj);
    unlink(path);

    /* A text box the plan did not know about: refused, nothing written. */
    for (size_t i = 0; i < layout.count; i++)
        if (layout.marks[i].kind == GP_MARK_TEXT) {
            layout.marks[i].box.y = 3; /* over the first row of photos */
            break;
        }
    done = true;
    CHECK(gp_sheet_writer_write(w, &layout, pixels, path, 0, &done, &err) == GP_OK && !done, "moved text refused");
    CHECK(access(path, F_OK) != 0, "and nothing written");

    /* A line through the label region's margin, where the plan has paper:
     * the check of the blocks around the label finds it. */
    gp_layout_build(&snapped.tpl, gp_job_field, &fields, text, &layout, NULL, NULL, 0, NULL);
    gp_mark *line = NULL;
    for (size_t i = 0; i < layout.count; i++)
        if (layout.marks[i].kind == GP_MARK_LINE) {
            line = &layout.marks[i];
            break;
        }
    REQUIRE(line != NULL, "the layout has cut guides");
    gp_mark saved = *line;
    line->box = (gp_box){30.0, 120.0, 0, 10.0}; /* a line the plan does not have */
    done = true;
    CHECK(gp_sheet_writer_write(w, &layout, pixels, path, 0, &done, &err) == GP_OK && !done, "other paper refused");
    CHECK(access(path, F_OK) != 0, "and nothing written");

    /* Ink outside the label area but inside its checked margin: a text
     * drawn, say, far past its box. Here a QR code pushed left by 2.5 mm,
     * its box still within the plan's room for ink. */
    *line = saved;
    gp_mark *qr = NULL;
    for (size_t i = 0; i < layout.count; i++)
        if (layout.marks[i].kind == GP_MARK_QR)
            qr = &layout.marks[i];
    REQUIRE(qr != NULL, "the layout has a QR code");
    done = false;
    CHECK(gp_sheet_writer_write(w, &layout, pixels, path, 0, &done, &err) == GP_OK && done, "the original again");
    unlink(path);
    qr->box.y += 4.0; /* its box leaves the plan's label area downwards */
    done = true;
    CHECK(gp_sheet_writer_write(w, &layout, pixels, path, 0, &done, &err) == GP_OK && !done, "QR code moved refused");
    CHECK(access(path, F_OK) != 0, "and nothing written");

    /* Ink past the room the plan leaves, from a box in its place: the
     * school's name at 40 pt overflows its 8 mm box by far (preflight would
     * have refused it; this is what the check of the blocks around the
     * label is for). */
    qr->box.y -= 4.0;
    gp_mark *school = NULL;
    for (size_t i = 0; i < layout.count && school == NULL; i++)
        if (layout.marks[i].kind == GP_MARK_TEXT)
            school = &layout.marks[i];
    REQUIRE(school != NULL, "a text mark");
    school->size_pt = 40;
    done = true;
    CHECK(gp_sheet_writer_write(w, &layout, pixels, path, 0, &done, &err) == GP_OK && !done, "overflowing ink refused");
    CHECK(access(path, F_OK) != 0, "and nothing written");

    gp_sheet_writer_free(w);
    cairo_surface_destroy(pixels);
    gp_photo_free(photo);
    free(photo_path);
    gp_sheet_plan_free(plan);
    gp_layout_free(&layout);
    gp_roster_free(roster);
    gp_text_engine_free(text);
    gp_sheet_snapped_free(&snapped);
    gp_template_free(tpl);
    free(tpl_path);
    fixture_remove(dir);
    free(dir);
    gp_context_free(ctx);
    return gp_test_done();
}
