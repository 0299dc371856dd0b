# flowproofHelpers.cmake — CMake functions for projects that use flowproof.
#
# Loaded by find_package(flowproof) (flowproofConfig.cmake includes it) and by flowproof's own
# top-level CMakeLists.txt, so add_subdirectory and FetchContent consumers get the same functions:
#
#   find_package(flowproof CONFIG REQUIRED)
#   flowproof_executable(flowproof_command)
#   add_test(NAME plan_lint COMMAND ${flowproof_command} plan lint ${CMAKE_CURRENT_SOURCE_DIR}/app.plan.json)
#
# flowproof_add_conformance() comes from flowproofConformance.cmake, included at the end.
include_guard(GLOBAL)

# flowproof_executable(<out-var>): sets <out-var> to the `flowproof` command for use in add_test,
# add_custom_command and add_custom_target. It is `$<TARGET_FILE:flowproof::flowproof>` when the
# imported (find_package) or built (add_subdirectory, FetchContent) target exists, otherwise the
# full path of a `flowproof` program on the PATH; a fatal error when there is neither.
function(flowproof_executable out_var)
  if(TARGET flowproof::flowproof)
    set(${out_var} "$<TARGET_FILE:flowproof::flowproof>" PARENT_SCOPE)
    return()
  endif()
  find_program(FLOWPROOF_EXECUTABLE flowproof DOC "The flowproof command")
  if(NOT FLOWPROOF_EXECUTABLE)
    message(FATAL_ERROR "flowproof_executable: no flowproof::flowproof target and no flowproof "
                        "program on the PATH; find_package(flowproof) or add flowproof's source "
                        "tree first")
  endif()
  set(${out_var} "${FLOWPROOF_EXECUTABLE}" PARENT_SCOPE)
endfunction()

# flowproof_add_conformance(): the suite-level conformance check (docs/suite-reports.md).
include("${CMAKE_CURRENT_LIST_DIR}/flowproofConformance.cmake")
