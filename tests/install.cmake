# The install, as a C programmer and a user get it (tests/install/install.sh):
# cmake --install into a prefix that is then moved, a program built with
# pkg-config and with find_package(gradprint), the installed tool run away
# from the source tree in English and Chinese, and its man pages.
add_test(NAME install
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install/install.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
    $<IF:$<BOOL:${GP_SANITIZE}>,ON,OFF> ${CMAKE_C_COMPILER})
set_tests_properties(install PROPERTIES TIMEOUT 600
  ENVIRONMENT "LSAN_OPTIONS=suppressions=${PROJECT_SOURCE_DIR}/.ci/lsan.supp:print_suppressions=0")
