# properties.cmake — builds the example's property tests (test/properties_*_test.cpp, which the
# example's glob puts into cloud_cli_tests) by linking flowproof::properties into that target and
# naming the corpus directory. The bug zoo's programs are zoo.cmake's.
# The example's CMakeLists.txt includes it right after cloud_cli_tests is defined (`properties`
# is added before `examples`, so flowproof::properties exists by then).
include_guard(GLOBAL)
if(TARGET cloud_cli_tests AND TARGET flowproof::properties)
  target_link_libraries(cloud_cli_tests PRIVATE flowproof::properties)
  target_compile_definitions(cloud_cli_tests PRIVATE
    CLOUD_CLI_PROPERTIES_CORPUS_DIR="${CMAKE_CURRENT_LIST_DIR}/test/corpus")
endif()
