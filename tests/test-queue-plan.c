/* The queue check without a printer: PPDs read (small ones written here for
 * each rule, and the real ones the Debian driver packages install), plans
 * made from queue descriptions for every case the decision knows (as it is,
 * turned, a named size within 0.5 mm, refused for size or margins, an IPP
 * printer that scales by itself, trays, vendor options that scale, turn or
 * hold), and the CUPS scheduler settings read from cupsd.conf text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/report-private.h"
#include "gp-test.h"
#include "print/ppd-private.h"
#include "print/queue-private.h"

static const char *const base_ppd =
    "*PPD-Adobe: \"4.3\"\n"
    "*% a comment: *OpenUI *Bogus/Not read: PickOne\n"
    "*ModelName: \"Test Laser 1\"\n"
    "*NickName: \"Test Laser 1, test driver\"\n"
    "*cupsFilter: \"application/vnd.cups-raster 0 rastertotest\"\n"
    "*LandscapeOrientation: Minus90\n"
    "*HWMargins: 18 14 18 14\n"
    "*DefaultScaleTo: Letter\n"
    "*OpenGroup: InstallableOptions/Installed\n"
    "*OpenUI *TrayBooklet/Booklet Tray: Boolean\n"
    "*DefaultTrayBooklet: True\n"
    "*TrayBooklet True/Installed: \"\"\n"
    "*TrayBooklet False/Not installed: \"\"\n"
    "*CloseUI: *TrayBooklet\n"
    "*CloseGroup: InstallableOptions\n"
    "*OpenUI *PageSize/Media Size: PickOne\n"
    "*DefaultPageSize: A4\n"
    "*PageSize A4/A4: \"<</PageSize[595 842]>>setpagedevice\"\n"
    "*PageSize Blank/Certificate blank: \"<</PageSize[766 539]\n"
    ">>setpagedevice\"\n"
    "*End\n"
    "*CloseUI: *PageSize\n"
    "*PaperDimension A4/A4: \"595 842\"\n"
    "*OpenUI *ScaleTo/Scale to: PickOne\n"
    "*ScaleTo Off/Off: \"\"\n"
    "*ScaleTo Letter/Letter: \"\"\n"
    "*CloseUI: *ScaleTo\n"
    "*OpenUI *ZoomFactor/Zoom: PickOne\n"
    "*DefaultZoomFactor: 95\n"
    "*ZoomFactor 95/95%: \"\"\n"
    "*ZoomFactor 100/100%: \"\"\n"
    "*CloseUI: *ZoomFactor\n"
    "*OpenUI *StpLightCyanScale/Light Cyan Scale: PickOne\n"
    "*DefaultStpLightCyanScale: None\n"
    "*StpLightCyanScale None/None: \"\"\n"
    "*StpLightCyanScale 1/1: \"\"\n"
    "*CloseUI: *StpLightCyanScale\n"
    "*OpenUI *OutputOrder/Output Order: PickOne\n"
    "*DefaultOutputOrder: Reverse\n"
    "*OutputOrder Normal/Normal: \"\"\n"
    "*OutputOrder Reverse/Reverse: \"\"\n"
    "*CloseUI: *OutputOrder\n"
    "*OpenUI *InputSlot/Media Source: PickOne\n"
    "*DefaultInputSlot: Auto\n"
    "*InputSlot Auto/Auto: \"\"\n"
    "*InputSlot Tray2/Tray 2: \"\"\n"
    "*CloseUI: *InputSlot\n"
    "*OpenUI *SecurePrint/Secure Printing: Boolean\n"
    "*DefaultSecurePrint: True\n"
    "*SecurePrint True/On: \"\"\n"
    "*SecurePrint False/Off: \"\"\n"
    "*CloseUI: *SecurePrint\n";

static const char *const custom_a4_class =
    "*CustomPageSize True: \"pop pop pop <</PageSize[5 -2 roll]>>setpagedevice\"\n"
    "*ParamCustomPageSize Width: 1 points 72 612\n"
    "*ParamCustomPageSize Height: 2 points 288 1008\n"
    "*ParamCustomPageSize WidthOffset: 3 points 0 0\n"
    "*ParamCustomPageSize HeightOffset: 4 points 0 0\n"
    "*ParamCustomPageSize Orientation: 5 int 0 0\n";

static const char *const custom_a3_class =
    "*CustomPageSize True: \"pop pop pop\n"
    "<</PageSize[5 -2 roll]>>setpagedevice\"\n"
    "*ParamCustomPageSize Width: 1 inches 1 13\n"
    "*ParamCustomPageSize Height: 2 inches 4 19\n";

static void parse(const char *text, gp_ppd *ppd)
{
    gp_error *err = NULL;
    REQUIRE(gp_ppd_parse(text, strlen(text), "test.ppd", ppd, &err) == GP_OK, "PPD: %s",
            err ? gp_error_message(err) : "");
}

static char *joined(const char *a, const char *b)
{
    char *s = malloc(strlen(a) + strlen(b) + 1);
    REQUIRE(s != NULL, "memory");
    strcpy(s, a);
    strcat(s, b);
    return s;
}

static void test_ppd(void)
{
    gp_ppd ppd;
    char *with_blank = joined(base_ppd, "*PaperDimension Blank/Certificate blank: \"766 539\"\n");
    char *text = joined(with_blank, custom_a4_class);
    free(with_blank);
    parse(text, &ppd);
    CHECK_STR(ppd.model_name, "Test Laser 1");
    CHECK(ppd.n_filters == 1 && strcmp(ppd.filters[0], "rastertotest") == 0, "filters");
    CHECK(ppd.landscape == GP_PPD_TURN_MINUS90, "LandscapeOrientation");
    CHECK(ppd.custom_size && ppd.has_custom_range, "custom sizes");
    CHECK_NEAR(ppd.custom_max_w_pt, 612, 1e-9);
    CHECK_NEAR(ppd.custom_min_h_pt, 288, 1e-9);
    CHECK(ppd.has_hw_margins && ppd.hw_margins_pt[0] == 18 && ppd.hw_margins_pt[1] == 14, "HWMargins");
    CHECK(ppd.n_sizes == 2 && strcmp(ppd.sizes[1].name, "Blank") == 0 && ppd.sizes[1].w_pt == 766, "sizes");
    const gp_ppd_option *scale = gp_ppd_find_option(&ppd, "ScaleTo");
    CHECK(scale != NULL && scale->ui && scale->default_choice && strcmp(scale->default_choice, "Letter") == 0 &&
              scale->n_choices == 2,
          "a default before its OpenUI is kept");
    const gp_ppd_option *tray = gp_ppd_find_option(&ppd, "TrayBooklet");
    CHECK(tray != NULL && tray->installable, "installable options are told apart");
    /* The PageSize code running over two lines does not end the option. */
    const gp_ppd_option *size = gp_ppd_find_option(&ppd, "PageSize");
    CHECK(size != NULL && gp_ppd_option_has_choice(size, "Blank") && gp_ppd_option_has_choice(size, "A4"),
          "multi-line values");
    gp_ppd_free(&ppd);
    free(text);

    text = joined(base_ppd, custom_a3_class);
    parse(text, &ppd);
    CHECK_NEAR(ppd.custom_max_w_pt, 13 * 72, 1e-9);
    gp_ppd_free(&ppd);
    free(text);

    gp_error *err = NULL;
    CHECK(gp_ppd_parse("hello", 5, "x.ppd", &ppd, &err) == GP_E_INVALID && gp_error_line(err) == 1,
          "not a PPD is refused naming the line");
    gp_error_free(err);
}

/* A queue as CUPS describes one with this PPD (margins in hundredths of mm). */
static void make_caps(gp_queue_caps *caps, const char *ppd_text, const char *queue)
{
    memset(caps, 0, sizeof *caps);
    caps->queue = strdup(queue);
    caps->accepting = true;
    for (int e = 0; e < 4; e++)
        caps->custom_margins[e] = caps->min_margins[e] = -1;
    if (ppd_text != NULL) {
        parse(ppd_text, &caps->ppd);
        caps->has_ppd = true;
    }
    static char *const sources[] = {"auto", "tray-2"};
    caps->sources = calloc(2, sizeof *caps->sources);
    caps->sources[0] = strdup(sources[0]);
    caps->sources[1] = strdup(sources[1]);
    caps->n_sources = caps->cap_sources = 2;
}

static gp_plan_request diploma(double x0, const char *tray)
{
    gp_plan_request r = {"diploma.xml", 270, 190, x0, 20, 240, 170, tray};
    return r;
}

static bool has_finding(const gp_report *report, const char *code, const char *text)
{
    for (size_t i = 0; i < gp_report_count(report); i++) {
        const gp_finding *f = gp_report_get(report, i);
        if (strcmp(f->code, code) == 0 && (text == NULL || strstr(f->message, text) != NULL))
            return true;
    }
    return false;
}

static const char *option(const gp_queue_plan *plan, const char *name)
{
    for (size_t i = 0; i < plan->n_options; i++)
        if (strcmp(plan->options[i].name, name) == 0)
            return plan->options[i].value;
    return NULL;
}

static void plan_for(const char *ppd_tail, const gp_plan_request *req, gp_queue_plan *plan, gp_report **report)
{
    char *text = ppd_tail ? joined(base_ppd, ppd_tail) : NULL;
    gp_queue_caps caps;
    make_caps(&caps, text, "q");
    *report = gp_report_new();
    gp_error *err = NULL;
    REQUIRE(gp_queue_plan_make(&caps, NULL, req, plan, *report, &err) == GP_OK, "plan");
    gp_queue_caps_free(&caps);
    free(text);
}

static void test_plans(void)
{
    gp_queue_plan plan;
    gp_report *report;
    gp_plan_request req = diploma(25, NULL);

    /* An A4-class custom range: 270 mm is too wide, turned it fits. */
    plan_for(custom_a4_class, &req, &plan, &report);
    CHECK(plan.fit == GP_FIT_TURNED, "A4 class turns the page (fit %d)", plan.fit);
    CHECK_STR(plan.page_size, "Custom.190x270mm");
    CHECK_STR(option(&plan, "PageSize"), "Custom.190x270mm");
    CHECK_STR(option(&plan, "print-scaling"), "none");
    CHECK_STR(option(&plan, "outputorder"), "normal");
    CHECK_STR(option(&plan, "OutputOrder"), "Normal");
    CHECK_STR(option(&plan, "ScaleTo"), "Off");
    CHECK_STR(option(&plan, "SecurePrint"), "False");
    CHECK(option(&plan, "StpLightCyanScale") == NULL, "ink settings are not scaling");
    CHECK(option(&plan, "TrayBooklet") == NULL, "installable options are left alone");
    CHECK(has_finding(report, "queue-option-unknown", "ZoomFactor"), "a zoom without an off choice is warned about");
    CHECK(option(&plan, "ipp-attribute-fidelity") == NULL, "fidelity makes pdftopdf scale to fit");
    gp_queue_plan_free(&plan);
    gp_report_free(report);

    /* An A3-class range takes it as it is. */
    plan_for(custom_a3_class, &req, &plan, &report);
    CHECK(plan.fit == GP_FIT_AS_IS, "A3 class prints as it is");
    CHECK_STR(plan.page_size, "Custom.270x190mm");
    gp_queue_plan_free(&plan);
    gp_report_free(report);

    /* No custom sizes: the named 766 x 539 pt size is 270.2 x 190.1 mm. */
    plan_for("*PaperDimension Blank/Certificate blank: \"766 539\"\n", &req, &plan, &report);
    CHECK(plan.fit == GP_FIT_AS_IS && plan.page_size && strcmp(plan.page_size, "Blank") == 0,
          "a named size within 0.5 mm: %s", plan.page_size ? plan.page_size : "-");
    gp_queue_plan_free(&plan);
    gp_report_free(report);

    gp_plan_request big = req;
    big.page_w_mm = 280;
    plan_for("", &big, &plan, &report);
    CHECK(plan.fit == GP_FIT_NONE && has_finding(report, "queue-size", "no custom page sizes"),
          "no size: refused with the reason");
    gp_queue_plan_free(&plan);
    gp_report_free(report);

    /* Marks 3 mm from the edge cannot print with 6.35 mm margins. */
    gp_plan_request close = diploma(3, NULL);
    plan_for(custom_a3_class, &close, &plan, &report);
    CHECK(plan.fit == GP_FIT_NONE && has_finding(report, "queue-margins", "3.0 mm"), "margins refuse");
    gp_queue_plan_free(&plan);
    gp_report_free(report);

    /* Trays: the IPP keyword, the driver's own name, or refused with the list. */
    gp_plan_request tray = diploma(25, "tray-2");
    plan_for(custom_a3_class, &tray, &plan, &report);
    CHECK_STR(option(&plan, "media-source"), "tray-2");
    CHECK_STR(option(&plan, "InputSlot"), "Tray2");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    tray.tray = "Tray2";
    plan_for(custom_a3_class, &tray, &plan, &report);
    CHECK_STR(option(&plan, "InputSlot"), "Tray2");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    tray.tray = "tray-9";
    plan_for(custom_a3_class, &tray, &plan, &report);
    CHECK(plan.fit == GP_FIT_NONE && has_finding(report, "queue-tray", "tray-2, Auto, Tray2"),
          "an unknown tray lists the trays");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
}

static void test_ipp_and_states(void)
{
    /* An IPP Everywhere queue (no PPD here: CUPS 2.5 style). */
    gp_queue_caps caps;
    make_caps(&caps, NULL, "ipp");
    caps.device_uri = strdup("ipp://printer.local/ipp/print");
    caps.custom = true;
    caps.custom_min_x = caps.custom_min_y = 5000;
    caps.custom_max_x = caps.custom_max_y = 60000;
    gp_plan_request req = diploma(25, NULL);
    gp_queue_caps device;
    memset(&device, 0, sizeof device);
    device.scaling_default = strdup("fit");
    gp_queue_plan plan;
    gp_report *report = gp_report_new();
    gp_error *err = NULL;
    REQUIRE(gp_queue_plan_make(&caps, &device, &req, &plan, report, &err) == GP_OK, "plan");
    CHECK(plan.fit == GP_FIT_NONE && has_finding(report, "queue-ipp-scaling", "print-scaling-default=fit"),
          "a printer scaling to fit by default is refused");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    free(device.scaling_default);
    device.scaling_default = strdup("auto");
    report = gp_report_new();
    REQUIRE(gp_queue_plan_make(&caps, &device, &req, &plan, report, &err) == GP_OK, "plan");
    CHECK(plan.fit == GP_FIT_AS_IS && gp_report_count(report) == 0, "auto leaves a page that fits alone");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    report = gp_report_new();
    REQUIRE(gp_queue_plan_make(&caps, NULL, &req, &plan, report, &err) == GP_OK, "plan");
    CHECK(plan.fit == GP_FIT_AS_IS && has_finding(report, "queue-ipp-scaling", "could not be asked"),
          "a printer that cannot be asked: a warning");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    free(device.scaling_default);

    /* Not accepting, and raw. */
    caps.accepting = false;
    report = gp_report_new();
    REQUIRE(gp_queue_plan_make(&caps, NULL, &req, &plan, report, &err) == GP_OK, "plan");
    CHECK(plan.fit == GP_FIT_NONE && has_finding(report, "queue-rejecting", "cupsaccept ipp"), "rejecting");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    free(caps.device_uri);
    caps.device_uri = strdup("socket://10.0.0.9");
    caps.accepting = true;
    report = gp_report_new();
    REQUIRE(gp_queue_plan_make(&caps, NULL, &req, &plan, report, &err) == GP_OK, "plan");
    CHECK(plan.fit == GP_FIT_NONE && has_finding(report, "queue-raw", NULL), "a raw queue is refused");
    gp_queue_plan_free(&plan);
    gp_report_free(report);
    gp_queue_caps_free(&caps);
}

/* The PPDs the Debian driver packages install: each one's family, and a
 * decision for the diploma. */
static void test_real_ppds(void)
{
    static const struct {
        const char *command, *family;
        gp_queue_fit fit;
    } real[] = {
        {"/usr/lib/cups/driver/postscript-hp cat postscript-hp:0/ppd/hplip/HP/hp-laserjet_m607_m608_m609-ps.ppd",
         "hp-postscript", GP_FIT_TURNED},
        {"/usr/lib/cups/driver/openprinting-ppds cat "
         "openprinting-ppds:0/ppd/openprinting/Ricoh/PS/Ricoh-MP_C3004_PS.ppd",
         "foomatic", GP_FIT_AS_IS},
        {"/usr/lib/cups/daemon/cups-driverd cat drv:///hpcups.drv/hp-laserjet_p2055dn-pcl3.ppd", "hpcups",
         GP_FIT_TURNED},
        {"/usr/lib/cups/daemon/cups-driverd cat drv:///hpcups.drv/hp-laserjet_m5035_mfp-pcl3.ppd", "hpcups",
         GP_FIT_AS_IS},
        {"/usr/lib/cups/driver/gutenprint.5.3 cat gutenprint.5.3://escp2-p600/expert", "gutenprint", GP_FIT_AS_IS},
        {"cat /usr/share/ppd/cupsfilters/pxlmono.ppd", "pcl", GP_FIT_NONE},
    };
    for (size_t i = 0; i < sizeof real / sizeof *real; i++) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "%s 2>/dev/null", real[i].command);
        FILE *p = popen(cmd, "r");
        REQUIRE(p != NULL, "popen");
        size_t cap = 1 << 20, len = 0, n;
        char *text = malloc(cap);
        while (text != NULL && (n = fread(text + len, 1, cap - len - 1, p)) > 0) {
            len += n;
            if (len + 1 == cap)
                text = realloc(text, cap *= 2);
        }
        pclose(p);
        REQUIRE(text != NULL && len > 100, "%s gave no PPD: install the printer driver packages", real[i].command);
        text[len] = '\0';
        gp_queue_caps caps;
        make_caps(&caps, text, "real");
        const gp_driver_family *family = gp_driver_family_of(&caps);
        CHECK(strcmp(family->id, real[i].family) == 0, "%s: family %s, expected %s", real[i].command, family->id,
              real[i].family);
        gp_plan_request req = diploma(25, NULL);
        gp_queue_plan plan;
        gp_report *report = gp_report_new();
        gp_error *err = NULL;
        REQUIRE(gp_queue_plan_make(&caps, NULL, &req, &plan, report, &err) == GP_OK, "plan");
        CHECK(plan.fit == real[i].fit, "%s: fit %d, expected %d", real[i].command, plan.fit, real[i].fit);
        if (strcmp(real[i].family, "gutenprint") == 0)
            CHECK(option(&plan, "StpiShrinkOutput") && strcmp(option(&plan, "StpiShrinkOutput"), "Crop") == 0 &&
                      strcmp(option(&plan, "OutputOrder"), "Normal") == 0,
                  "Gutenprint crops instead of shrinking and prints page 1 first");
        if (strcmp(real[i].family, "foomatic") == 0)
            CHECK(option(&plan, "RIPaperPolicy") && strcmp(option(&plan, "RIPaperPolicy"), "PromptUser") == 0 &&
                      !has_finding(report, "queue-option-unknown", "RIWMText"),
                  "Ricoh: paper policy set, the watermark's text not warned about once the watermark is off");
        gp_queue_plan_free(&plan);
        gp_report_free(report);
        gp_queue_caps_free(&caps);
        free(text);
    }
}

static void test_cupsd_settings(void)
{
    gp_report *r = gp_report_new();
    gp_cupsd_settings_check_text("", 0, "cupsd.conf", r);
    CHECK(has_finding(r, "cupsd-preserve-job-files", "86400") && has_finding(r, "cupsd-max-jobs", "500"),
          "CUPS' defaults keep PDFs a day and 500 jobs of history");
    gp_report_free(r);
    const char *good = "# school print server\nPreserveJobFiles No\nPreserveJobHistory 1d\nMaxJobs 10000\n"
                       "<Policy default>\n  JobPrivateAccess default\n  JobPrivateValues default\n</Policy>\n";
    r = gp_report_new();
    gp_cupsd_settings_check_text(good, strlen(good), "cupsd.conf", r);
    CHECK(gp_report_count(r) == 0, "the README's settings pass (%zu findings)", gp_report_count(r));
    gp_report_free(r);
    const char *bad = "PreserveJobFiles Yes\nPreserveJobHistory No\nMaxJobs 200\nClassification secret\n"
                      "<Policy other>\n  JobPrivateValues default\n</Policy>\n<Policy default>\n"
                      "  JobPrivateValues none\n</Policy>\n";
    r = gp_report_new();
    gp_cupsd_settings_check_text(bad, strlen(bad), "cupsd.conf", r);
    CHECK(has_finding(r, "cupsd-preserve-job-files", "PreserveJobFiles No") &&
              has_finding(r, "cupsd-preserve-job-history", NULL) && has_finding(r, "cupsd-max-jobs", "200") &&
              has_finding(r, "cupsd-job-private-values", "none") && has_finding(r, "cupsd-classification", "secret"),
          "every bad setting is named with its fix");
    gp_report_free(r);
}

int main(void)
{
    test_ppd();
    test_plans();
    test_ipp_and_states();
    test_real_ppds();
    test_cupsd_settings();
    return gp_test_done();
}
