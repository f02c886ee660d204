# Out-of-memory fault injection (test-oom.c): the engine's malloc, calloc,
# realloc, strdup and strndup go through a countdown allocator. --wrap
# reroutes only the calls of objects linked statically into the test (the
# engine's static library and the test), never those inside shared libraries.
gp_add_test(test-oom test-oom.c oom-alloc.c)
target_link_options(test-oom PRIVATE
  "LINKER:--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup")
set_tests_properties(test-oom PROPERTIES TIMEOUT 900)
# The jobs draw text with cairo, so fontconfig and cairo keep blocks of
# their own; test-oom.c carries the suppressions compiled in, matched by
# library, which the fast unwinder can see (the slow one .ci/run sets for
# .ci/lsan.supp would make its thousands of runs ten times slower).
set_property(TEST test-oom APPEND PROPERTY ENVIRONMENT
  "ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=1" "LSAN_OPTIONS=print_suppressions=0")
