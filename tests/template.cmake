gp_add_test(test-template test-template.c)
gp_add_test(test-template-cert test-template-cert.c)
gp_add_test(test-pattern test-pattern.c)
gp_add_fuzzer(fuzz-template fuzz/fuzz-template.c)
