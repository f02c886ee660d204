# The zh_CN translation, checked against the build's own compiled catalogue
# under the locale users are told to use (README, "中文界面").
set(GP_I18N_ENV
  "GRADPRINT_DATADIR=${PROJECT_SOURCE_DIR}"
  "GRADPRINT_LOCALEDIR=${GP_BUILD_LOCALEDIR}"
  "LANGUAGE=zh_CN"
  "LC_ALL=C.UTF-8")

gp_add_test(test-i18n test-i18n.c)
target_compile_definitions(test-i18n PRIVATE GP_BUILD_LOCALEDIR="${GP_BUILD_LOCALEDIR}")
add_dependencies(test-i18n gradprint_translations)
set_tests_properties(test-i18n PROPERTIES ENVIRONMENT "${GP_I18N_ENV}")

# The CLI, run the ways the README documents. LC_ALL and LANGUAGE are unset
# first so the developer's own environment cannot decide the outcome.
function(gp_i18n_cli_test name expect)
  add_test(NAME ${name}
    COMMAND ${CMAKE_COMMAND} -E env --unset=LC_ALL --unset=LC_MESSAGES --unset=LANGUAGE
      GRADPRINT_LOCALEDIR=${GP_BUILD_LOCALEDIR} ${ARGN}
      $<TARGET_FILE:gradprint_cli> sheets --help)
  set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${expect}" TIMEOUT 60)
endfunction()
gp_i18n_cli_test(i18n-cli-language "用法：gradprint sheets" LANG=C.UTF-8 LANGUAGE=zh_CN)
# zh_CN.UTF-8 is often not generated (servers, containers): the CLI falls
# back to C.UTF-8 and still shows the language LANG names.
gp_i18n_cli_test(i18n-cli-lang-only "用法：gradprint sheets" LANG=zh_CN.UTF-8)
gp_i18n_cli_test(i18n-cli-english "Usage: gradprint sheets" LANG=C.UTF-8)
