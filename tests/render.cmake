gp_add_test(test-render-raster test-render-raster.c)
gp_add_test(test-pdf-driver test-pdf-driver.c)
gp_add_test(test-render-images test-render-images.c)
gp_add_test(test-calibration test-calibration.c)
gp_add_test(test-preview test-preview.c)
# These tests set text and read PDFs with poppler: fontconfig, cairo's PDF
# finish and poppler keep blocks inside the system libraries
# (.ci/lsan.supp says which); the slow unwinder lets the
# suppressions see past their frame-pointer-less code.
foreach(t test-pdf-driver test-render-images test-calibration test-preview)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
    "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0"
    "ASAN_OPTIONS=fast_unwind_on_malloc=0")
endforeach()
gp_add_fuzzer(fuzz-render-qr fuzz/fuzz-render-qr.c)
