gp_add_test(test-sheets test-sheets.c sheets-fixture.c)
gp_add_test(test-sheets-preflight test-sheets-preflight.c sheets-fixture.c)
gp_add_test(test-delivery test-delivery.c)
gp_add_test(test-outdir test-outdir.c)
