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
# Template images (signature, seal, the blank's scan): PNG and PDF bytes
# through the template loader and the image loader, onto raster and vector.
gp_add_fuzzer(fuzz-image-png fuzz/fuzz-image.c)
gp_add_fuzzer(fuzz-image-pdf fuzz/fuzz-image.c)
if(GP_FUZZ)
  target_compile_definitions(fuzz-image-png PRIVATE GP_FUZZ_FORMAT=GP_IMAGE_PNG)
  target_compile_definitions(fuzz-image-pdf PRIVATE GP_FUZZ_FORMAT=GP_IMAGE_PDF)
  gp_fuzzer_compiled_suppressions(fuzz-image-png fuzz-image-pdf)
endif()
# Calibration from a scan on simulated flatbed scans and phone photos.
# One ctest entry per part (marks, flatbed, phone, refusals, refusals-size,
# skew), each well under a
# minute with the sanitizers.
add_executable(test-calibration-scan test-calibration-scan.c scan-sim.c)
gp_target_defaults(test-calibration-scan)
target_link_libraries(test-calibration-scan PRIVATE gp_test_fixture gradprint_internal PkgConfig::GP_DEPS)
target_compile_definitions(test-calibration-scan PRIVATE _POSIX_C_SOURCE=200809L
  GP_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GP_BINARY_DIR="${PROJECT_BINARY_DIR}")
foreach(part marks flatbed phone refusals refusals-size skew)
  add_test(NAME test-calibration-scan-${part} COMMAND test-calibration-scan ${part})
  set_tests_properties(test-calibration-scan-${part} PROPERTIES TIMEOUT 600 ENVIRONMENT
    "GRADPRINT_DATADIR=${PROJECT_SOURCE_DIR};LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0;ASAN_OPTIONS=fast_unwind_on_malloc=0")
endforeach()
# The same simulator as a program, for the CLI test of calibrate --scan.
add_executable(scan-sim scan-sim-main.c scan-sim.c)
gp_target_defaults(scan-sim)
target_link_libraries(scan-sim PRIVATE PkgConfig::GP_DEPS m)
target_compile_definitions(scan-sim PRIVATE _POSIX_C_SOURCE=200809L)
# Calibration from a scan on arbitrary pixels: ring search, fit, registration.
gp_add_fuzzer(fuzz-calibration-marks fuzz/fuzz-calibration-marks.c)
