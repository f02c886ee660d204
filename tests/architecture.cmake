# The module graph of docs/INTERNALS.md, kept true: an include against it,
# a cycle, or the CLI reaching past gradprint.h fails the build's tests.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME module-graph COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/module-graph.py ${PROJECT_SOURCE_DIR})
add_test(NAME module-graph-self-test COMMAND Python3::Interpreter ${CMAKE_CURRENT_SOURCE_DIR}/module-graph.py --self-test)
