gp_add_test(test-certs test-certs.c)
# What operators and registrars type: printer profiles and --records.
gp_add_fuzzer(fuzz-profile fuzz/fuzz-profile.c)
gp_add_fuzzer(fuzz-records fuzz/fuzz-records.c)
