# Out-of-memory fault injection (test-oom.c): the engine's malloc, calloc,
# realloc, strdup and strndup go through a countdown allocator. --wrap
# reroutes only the calls of objects linked statically into the test (the
# engine's static library and the test), never those inside shared libraries.
gp_add_test(test-oom test-oom.c oom-alloc.c sheets-fixture.c)
target_link_options(test-oom PRIVATE
  "LINKER:--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup")
set_tests_properties(test-oom PROPERTIES TIMEOUT 900)
# The jobs draw text with cairo, so fontconfig's config parser leaks inside
# the system library (.ci/lsan.supp); the slow unwinder lets the suppression
# see past its frame-pointer-less code.
set_property(TEST test-oom APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0"
  "ASAN_OPTIONS=fast_unwind_on_malloc=0")
