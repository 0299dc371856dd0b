# flowproof_set_warnings(TARGET): warnings for flowproof's own targets only (PRIVATE, so nothing
# leaks to consumers). Warnings become errors only when FLOWPROOF_WARNINGS_AS_ERRORS is on, which
# the `dev` preset does.
function(flowproof_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    # From GCC 12 on, optimised builds report -Wrestrict inside libstdc++'s own std::string code for
    # code as plain as `"E" + std::to_string(i)` (GCC bug 105329 and its duplicates): a false
    # positive in the standard library's headers, so that one diagnostic is off for GCC.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
      target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
    if(FLOWPROOF_WARNINGS_AS_ERRORS)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()

# flowproof_add_library(NAME [STATIC|SHARED] SOURCES...): a library exported as flowproof::NAME.
# Its __FILE__ (assertion and rapidcheck failure locations) reads flowproof/<module>/src/x.cpp
# rather than the build machine's absolute path, which would otherwise end up in the installed
# library and in every user's failure output. Test programs keep absolute (clickable) paths.
function(flowproof_add_library name)
  add_library(flowproof_${name} ${ARGN})
  add_library(flowproof::${name} ALIAS flowproof_${name})
  set_target_properties(flowproof_${name} PROPERTIES EXPORT_NAME ${name} OUTPUT_NAME flowproof_${name})
  target_compile_features(flowproof_${name} PUBLIC cxx_std_20)
  target_include_directories(flowproof_${name} PUBLIC
    $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(flowproof_${name} PRIVATE
                           "-fmacro-prefix-map=${PROJECT_SOURCE_DIR}/=flowproof/")
  endif()
  flowproof_set_warnings(flowproof_${name})
  set_property(GLOBAL APPEND PROPERTY FLOWPROOF_EXPORTED_TARGETS flowproof_${name})
endfunction()

# flowproof_add_test(NAME SOURCES... [LIBS libs...]): a GoogleTest program registered with ctest.
# A program with no sources yet (a module whose tests are still being written) is skipped. Tests
# that run threads get the ctest label `concurrency`, which the `tsan` test preset selects: names
# containing "Concurren" or "Thread" (ConcurrencyTest.*, *.TracksConcurrently, *.IsThreadSafe, ...)
# and the threaded tests listed by name below. Name new threaded tests so that they match.
set(FLOWPROOF_CONCURRENCY_TESTS
    "*Concurren*:*Thread*:RecordingClient.WaitFor*:FlowTrackerTest.ThrowHooks*")
function(flowproof_add_test name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  if(NOT ARG_UNPARSED_ARGUMENTS)
    message(STATUS "flowproof: ${name} has no sources yet; not built")
    return()
  endif()
  add_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gmock_main)
  flowproof_set_warnings(${name})
  include(GoogleTest)
  set(environment "FLOWPROOF_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       TEST_FILTER "-${FLOWPROOF_CONCURRENCY_TESTS}"
                       PROPERTIES ENVIRONMENT "${environment}")
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       TEST_FILTER "${FLOWPROOF_CONCURRENCY_TESTS}"
                       PROPERTIES ENVIRONMENT "${environment}" LABELS concurrency)
endfunction()
