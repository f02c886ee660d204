# The gradprint tool as users run it, from tests/cli/*.sh: each script gets
# the binary, the source and the build directory, and reads real output
# back (files, exit statuses, stderr, JSON parsed by python3).
function(gp_cli_test name script timeout)
  add_test(NAME ${name}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/${script} $<TARGET_FILE:gradprint_cli> ${PROJECT_SOURCE_DIR}
      ${PROJECT_BINARY_DIR})
  # The tool finds its data and translations relative to its library in
  # the build tree, as an installed one does: no GRADPRINT_DATADIR here.
  set_tests_properties(${name} PROPERTIES TIMEOUT ${timeout}
    ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0")
endfunction()

# SIGINT/SIGTERM mid-run remove the staging; after SIGKILL the next run does and says so.
gp_cli_test(cli-interrupt interrupt.sh 900)
# One JSON envelope from every command, usage errors included.
gp_cli_test(cli-json json.sh 900)
# Control characters from cells and file names are escaped in every human-readable message.
gp_cli_test(cli-escape escape.sh 120)
# gradprint template check and the template messages, in English and zh_CN.
gp_cli_test(cli-template template.sh 300)
# The progress bar on a terminal: it moves, and shows sane rates.
gp_cli_test(cli-progress progress.sh 300)
# gradprint calibrate --scan on a simulated scan: profile, proof, refusals, --json.
gp_cli_test(cli-calibrate-scan calibrate-scan.sh 300)
