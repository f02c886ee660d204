# Print runs: the journal (no CUPS needed) and printing through a private
# CUPS with a virtual IPP Everywhere printer (tests/cups-fixture.sh). The
# CUPS test fails, never skips, when cupsd or ippeveprinter are missing:
# CI installs cups-daemon cups-client cups-ipp-utils cups-filters dbus-daemon.
gp_add_test(test-journal test-journal.c)
# The queue check without a printer: PPDs (written here, and the real ones
# the driver packages install), plans from queue descriptions, cupsd.conf.
gp_add_test(test-queue-plan test-queue-plan.c)

add_executable(test-cups test-cups.c)
gp_target_defaults(test-cups)
target_link_libraries(test-cups PRIVATE gp_test_fixture gradprint_internal)
target_include_directories(test-cups PRIVATE ${PROJECT_SOURCE_DIR}/engine/src ${PROJECT_SOURCE_DIR}/drivers
  ${PROJECT_SOURCE_DIR}/tests)
target_compile_definitions(test-cups PRIVATE _POSIX_C_SOURCE=200809L
  GP_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GP_BINARY_DIR="${PROJECT_BINARY_DIR}")
add_test(NAME test-cups COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cups-fixture.sh run $<TARGET_FILE:test-cups>)
set_tests_properties(test-cups PROPERTIES ENVIRONMENT "GRADPRINT_DATADIR=${PROJECT_SOURCE_DIR}" TIMEOUT 600)
# The test draws text with cairo, so fontconfig's config parser leaks inside
# the system library (.ci/lsan.supp, the one suppression list); the slow
# unwinder lets the suppression see past its frame-pointer-less code.
set_property(TEST test-cups APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0"
  "ASAN_OPTIONS=fast_unwind_on_malloc=0")
gp_add_fuzzer(fuzz-journal fuzz/fuzz-journal.c)

# Print runs end to end: the gradprint binary prints 30 diplomas through the
# private CUPS, is killed and paused mid-run and resumed; reprint, void,
# status and the audit report.
add_executable(test-print test-print.c)
gp_target_defaults(test-print)
target_link_libraries(test-print PRIVATE gp_test_fixture gradprint_internal)
target_include_directories(test-print PRIVATE ${PROJECT_SOURCE_DIR}/engine/src ${PROJECT_SOURCE_DIR}/drivers
  ${PROJECT_SOURCE_DIR}/tests)
target_compile_definitions(test-print PRIVATE _POSIX_C_SOURCE=200809L
  GP_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GP_BINARY_DIR="${PROJECT_BINARY_DIR}")
add_dependencies(test-print gradprint_cli)
add_test(NAME test-print COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cups-fixture.sh run $<TARGET_FILE:test-print>)
set_tests_properties(test-print PROPERTIES ENVIRONMENT "GRADPRINT_DATADIR=${PROJECT_SOURCE_DIR}" TIMEOUT 900)
set_property(TEST test-print APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0"
  "ASAN_OPTIONS=fast_unwind_on_malloc=0")
gp_add_fuzzer(fuzz-run-conf fuzz/fuzz-run-conf.c)
# What a queue says about itself: its PPD, its IPP attributes, the
# scheduler's cupsd.conf.
gp_add_fuzzer(fuzz-ppd fuzz/fuzz-ppd.c)
gp_add_fuzzer(fuzz-queue-ipp fuzz/fuzz-queue-ipp.c)
gp_add_fuzzer(fuzz-cupsd-conf fuzz/fuzz-cupsd-conf.c)

# Real Debian printer drivers (hpps, foomatic-rip, hpcups, Gutenprint, PCL 6
# and IPP Everywhere) behind a private cupsd with file: devices: what reached
# each device is decoded and measured against the certificate PDF. Fails,
# never skips, without the drivers: CI installs printer-driver-hpcups
# printer-driver-gutenprint printer-driver-postscript-hp openprinting-ppds
# ghostscript.
add_executable(test-driver-chains test-driver-chains.c chain-image.c)
gp_target_defaults(test-driver-chains)
target_link_libraries(test-driver-chains PRIVATE gp_test_fixture gradprint_internal)
target_include_directories(test-driver-chains PRIVATE ${PROJECT_SOURCE_DIR}/engine/src ${PROJECT_SOURCE_DIR}/tests)
target_compile_definitions(test-driver-chains PRIVATE _POSIX_C_SOURCE=200809L
  GP_SOURCE_DIR="${PROJECT_SOURCE_DIR}" GP_BINARY_DIR="${PROJECT_BINARY_DIR}")
add_dependencies(test-driver-chains gradprint_cli)
add_test(NAME test-driver-chains COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cups-fixture.sh run $<TARGET_FILE:test-driver-chains>)
set_tests_properties(test-driver-chains PROPERTIES TIMEOUT 1200 ENVIRONMENT
  "GRADPRINT_DATADIR=${PROJECT_SOURCE_DIR};GP_CUPS_FIXTURE_DRIVERS=m607 ricoh p2055:raster m5035:raster p600 pxl;LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0;ASAN_OPTIONS=fast_unwind_on_malloc=0")
