# flowproofConformance.cmake — flowproof_add_conformance(): checks a GoogleTest suite's recorded
# telemetry against a tracking plan as a ctest test that runs AFTER the suite. Loaded with the
# package (flowproofHelpers.cmake includes it), so find_package(flowproof), add_subdirectory and
# FetchContent consumers all have it (docs/suite-reports.md):
#
#   find_package(flowproof CONFIG REQUIRED)
#   add_executable(app_tests app_test.cpp)     # one source has FLOWPROOF_SUITE_LISTENER();
#   target_link_libraries(app_tests PRIVATE flowproof::conformance GTest::gtest_main)
#   gtest_discover_tests(app_tests)            # or add_test(...) + TESTS below
#   flowproof_add_conformance(TARGET app_tests PLAN app.plan.json
#                             REPORTS json junit markdown html MIN_COVERAGE 0.9)
#
# Arguments:
#   TARGET t            the test program (required); its discovered tests get the suite fixture
#   PLAN file           the tracking plan (required; relative to the current source directory)
#   REPORTS f...        report formats among json junit markdown html text (default: all but text)
#   REQUIRE_COVERAGE    turn FP201/FP202 on at error severity (`--require-coverage`)
#   MIN_COVERAGE r      fail when the covered share of outcomes is below r (`--min-coverage`)
#   OUTPUT_DIR dir      where events and reports go (default: <binary dir>/<NAME>; relative to
#                       the current binary directory)
#   NAME n              the check's ctest name (default: <TARGET>_conformance)
#   TESTS t...          ctest tests of the suite added with add_test (not gtest_discover_tests)
#   LABELS l...         ctest labels of the check (default: conformance)
#   EXCLUDE_TESTS p...  tests whose events are left out ("Suite.Test" patterns with * and ?): tests
#                       that record broken telemetry on purpose
#
# It registers <NAME>_clean (removes last run's events; fixture <NAME>_clean) and <NAME> (runs
# `flowproof check` over OUTPUT_DIR/events/*.events.jsonl with the --labels sidecars, writes
# OUTPUT_DIR/conformance.{json,junit.xml,md,html,txt}; fixture <NAME>_suite required). The suite's
# tests get FIXTURES_SETUP <NAME>_suite, FIXTURES_REQUIRED <NAME>_clean and FLOWPROOF_SUITE_DIR in
# their environment (ENVIRONMENT_MODIFICATION), so the listener writes where the check reads.
# Used with `cmake -P` (by the registered test) this file runs the check itself.
include_guard(GLOBAL)

set_property(GLOBAL PROPERTY FLOWPROOF_CONFORMANCE_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

# --- script mode: the registered check ------------------------------------------------------------
if(CMAKE_SCRIPT_MODE_FILE AND FLOWPROOF_CONFORMANCE_CHECK)
  cmake_policy(VERSION 3.25)
  foreach(required IN ITEMS FLOWPROOF PLAN SUITE_DIR OUTPUT_DIR)
    if(NOT DEFINED ${required})
      message(FATAL_ERROR "flowproofConformance.cmake: ${required} is not set")
    endif()
  endforeach()
  file(GLOB events LIST_DIRECTORIES false "${SUITE_DIR}/*.events.jsonl")
  file(GLOB labels LIST_DIRECTORIES false "${SUITE_DIR}/*.labels.json")
  if(NOT events)
    message(FATAL_ERROR "flowproof conformance: no events in ${SUITE_DIR}. Did the suite run, "
                        "and does one of its sources have FLOWPROOF_SUITE_LISTENER()?")
  endif()
  list(SORT events)
  list(SORT labels)
  set(args check --plan "${PLAN}" --no-progress)
  foreach(file IN LISTS labels)
    list(APPEND args --labels "${file}")
  endforeach()
  string(REPLACE "," ";" REPORTS "${REPORTS}")
  file(MAKE_DIRECTORY "${OUTPUT_DIR}")
  set(written "")
  foreach(format IN LISTS REPORTS)
    set(extension "${format}")
    if(format STREQUAL "junit")
      set(extension "junit.xml")
    elseif(format STREQUAL "markdown")
      set(extension "md")
    elseif(format STREQUAL "text")
      set(extension "txt")
    endif()
    list(APPEND args --report "${format}=${OUTPUT_DIR}/conformance.${extension}")
    list(APPEND written "${OUTPUT_DIR}/conformance.${extension}")
  endforeach()
  if(NOT "text" IN_LIST REPORTS)
    list(APPEND args --report "text=-")
  endif()
  if(REQUIRE_COVERAGE)
    list(APPEND args --require-coverage)
  endif()
  if(NOT "${MIN_COVERAGE}" STREQUAL "")
    list(APPEND args --min-coverage "${MIN_COVERAGE}")
  endif()
  list(LENGTH events event_count)
  message("flowproof conformance: ${event_count} event file(s) from ${SUITE_DIR}")
  execute_process(COMMAND "${FLOWPROOF}" ${args} -- ${events} RESULT_VARIABLE result)
  foreach(report IN LISTS written)
    if(EXISTS "${report}")
      message("flowproof conformance: report ${report}")
    endif()
  endforeach()
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "flowproof conformance: the suite's telemetry does not conform "
                        "(flowproof check exit ${result})")
  endif()
  return()
endif()

# --- configure mode -------------------------------------------------------------------------------
function(flowproof_add_conformance)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "REQUIRE_COVERAGE"
                        "TARGET;PLAN;MIN_COVERAGE;OUTPUT_DIR;NAME" "REPORTS;TESTS;LABELS;EXCLUDE_TESTS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "flowproof_add_conformance: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_TARGET OR NOT TARGET "${ARG_TARGET}")
    message(FATAL_ERROR "flowproof_add_conformance: TARGET must name the suite's test program "
                        "(got '${ARG_TARGET}')")
  endif()
  if(NOT ARG_PLAN)
    message(FATAL_ERROR "flowproof_add_conformance: PLAN is required")
  endif()
  if(NOT ARG_REPORTS)
    set(ARG_REPORTS json junit markdown html)
  endif()
  foreach(format IN LISTS ARG_REPORTS)
    if(NOT format MATCHES "^(json|junit|markdown|html|text)$")
      message(FATAL_ERROR "flowproof_add_conformance: unknown report format '${format}' "
                          "(json, junit, markdown, html, text)")
    endif()
  endforeach()
  if(NOT "${ARG_MIN_COVERAGE}" STREQUAL "" AND NOT ARG_MIN_COVERAGE MATCHES "^(0|1)?(\\.[0-9]+)?$")
    message(FATAL_ERROR "flowproof_add_conformance: MIN_COVERAGE must be a ratio 0..1 "
                        "(got '${ARG_MIN_COVERAGE}')")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME "${ARG_TARGET}_conformance")
  endif()
  if(NOT ARG_LABELS)
    set(ARG_LABELS conformance)
  endif()
  cmake_path(ABSOLUTE_PATH ARG_PLAN BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}")
  endif()
  cmake_path(ABSOLUTE_PATH ARG_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  set(suite_dir "${ARG_OUTPUT_DIR}/events")
  flowproof_executable(flowproof_command)
  get_property(script GLOBAL PROPERTY FLOWPROOF_CONFORMANCE_SCRIPT)
  string(REPLACE ";" "," reports "${ARG_REPORTS}")

  add_test(NAME ${ARG_NAME}_clean COMMAND "${CMAKE_COMMAND}" -E rm -rf "${suite_dir}")
  set_tests_properties(${ARG_NAME}_clean PROPERTIES FIXTURES_SETUP ${ARG_NAME}_clean
                                                    LABELS "${ARG_LABELS}")
  add_test(NAME ${ARG_NAME}
           COMMAND "${CMAKE_COMMAND}" -DFLOWPROOF_CONFORMANCE_CHECK=ON
                   "-DFLOWPROOF=${flowproof_command}" "-DPLAN=${ARG_PLAN}"
                   "-DSUITE_DIR=${suite_dir}" "-DOUTPUT_DIR=${ARG_OUTPUT_DIR}"
                   "-DREPORTS=${reports}" "-DREQUIRE_COVERAGE=${ARG_REQUIRE_COVERAGE}"
                   "-DMIN_COVERAGE=${ARG_MIN_COVERAGE}" -P "${script}")
  set_tests_properties(${ARG_NAME} PROPERTIES
    FIXTURES_REQUIRED "${ARG_NAME}_suite;${ARG_NAME}_clean"
    LABELS "${ARG_LABELS}")

  set(environment "FLOWPROOF_SUITE_DIR=set:${suite_dir}" "FLOWPROOF_SUITE_PROGRAM=set:${ARG_TARGET}")
  if(ARG_EXCLUDE_TESTS)
    string(REPLACE ";" ":" exclude "${ARG_EXCLUDE_TESTS}")
    list(APPEND environment "FLOWPROOF_SUITE_EXCLUDE=set:${exclude}")
  endif()
  # Tests added with add_test: wired now.
  if(ARG_TESTS)
    set_property(TEST ${ARG_TESTS} APPEND PROPERTY FIXTURES_SETUP ${ARG_NAME}_suite)
    set_property(TEST ${ARG_TESTS} APPEND PROPERTY FIXTURES_REQUIRED ${ARG_NAME}_clean)
    set_property(TEST ${ARG_TESTS} APPEND PROPERTY ENVIRONMENT_MODIFICATION ${environment})
  endif()
  # Tests gtest_discover_tests adds at ctest time: wired by a script ctest includes after the
  # discovery scripts, which reads the test names from the generated <target>[N]_tests.cmake.
  get_target_property(target_binary_dir ${ARG_TARGET} BINARY_DIR)
  get_target_property(target_source_dir ${ARG_TARGET} SOURCE_DIR)
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_wire_suite.cmake")
  file(WRITE "${include_file}" "# Generated by flowproof_add_conformance(${ARG_NAME}): puts the
# discovered tests of ${ARG_TARGET} in the conformance fixtures.
# A multi-config generator with DISCOVERY_MODE PRE_TEST writes <target>[N]_tests-<config>.cmake:
# only the configuration ctest runs (-C) counts.
file(GLOB _flowproof_files LIST_DIRECTORIES false \"${target_binary_dir}/*_tests.cmake\"
     \"${target_binary_dir}/*_tests-*.cmake\")
foreach(_flowproof_file IN LISTS _flowproof_files)
  get_filename_component(_flowproof_base \"\${_flowproof_file}\" NAME)
  string(FIND \"\${_flowproof_base}\" \"${ARG_TARGET}[\" _flowproof_at)
  if(NOT _flowproof_at EQUAL 0)
    continue()
  endif()
  if(_flowproof_base MATCHES \"_tests-(.+)\\\\.cmake$\" AND
     NOT CMAKE_MATCH_1 STREQUAL \"\${CTEST_CONFIGURATION_TYPE}\")
    continue()
  endif()
  file(STRINGS \"\${_flowproof_file}\" _flowproof_lines REGEX \"^add_test\\\\(\\\\[=\\\\[\")
  foreach(_flowproof_line IN LISTS _flowproof_lines)
    string(FIND \"\${_flowproof_line}\" \"]=]\" _flowproof_end)
    math(EXPR _flowproof_length \"\${_flowproof_end} - 12\")
    string(SUBSTRING \"\${_flowproof_line}\" 12 \${_flowproof_length} _flowproof_test)
    set_tests_properties(\"\${_flowproof_test}\" PROPERTIES
      FIXTURES_SETUP ${ARG_NAME}_suite
      FIXTURES_REQUIRED ${ARG_NAME}_clean
      ENVIRONMENT_MODIFICATION \"${environment}\")
  endforeach()
endforeach()
")
  set_property(DIRECTORY "${target_source_dir}" APPEND PROPERTY TEST_INCLUDE_FILES
                                                          "${include_file}")
endfunction()
