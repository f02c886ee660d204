gp_add_test(test-certs test-certs.c sheets-fixture.c)
