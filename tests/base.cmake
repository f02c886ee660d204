gp_add_test(test-base test-base.c)
