gp_add_test(test-text test-text.c)
gp_add_test(test-layout test-layout.c)
gp_add_fuzzer(fuzz-text fuzz/fuzz-text.c)
