gp_add_test(test-render-raster test-render-raster.c)
gp_add_test(test-pdf-driver test-pdf-driver.c)
# The PDF test sets text: fontconfig and cairo's CFF subsetter leak inside
# the system libraries (tests/lsan-suppressions.txt says which); the slow
# unwinder lets the suppressions see past their frame-pointer-less code.
set_property(TEST test-pdf-driver APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/tests/lsan-suppressions.txt:print_suppressions=0"
  "ASAN_OPTIONS=fast_unwind_on_malloc=0")
gp_add_fuzzer(fuzz-render-qr fuzz/fuzz-render-qr.c)
