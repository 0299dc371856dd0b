# suite_conformance.cmake — packaging_suite_conformance: builds suite-consumer/ against a flowproof
# package (find_package only), runs its ctest (suite, then the registered check) and checks the
# reports; then again with MIN_COVERAGE 1.0, where the check must fail (coverage is 75%).
#   cmake -DFLOWPROOF_DIR=<package dir> -DWORK=<dir> -DGENERATOR=<gen> -DCXX=<compiler>
#         -DBUILD_TYPE=<type> [-DCXX_FLAGS=<flags>] [-DLINKER_FLAGS=<flags>] -P suite_conformance.cmake
# The flags are this build's own, passed through so a sanitizer build links a sanitizer consumer.
set(source "${CMAKE_CURRENT_LIST_DIR}/suite-consumer")
file(REMOVE_RECURSE "${WORK}")

function(consumer_ctest min_coverage out_result out_log)
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${source}" -B "${WORK}" -G "${GENERATOR}"
                          "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
                          "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
                          "-Dflowproof_DIR=${FLOWPROOF_DIR}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"
                          "-DCONSUMER_MIN_COVERAGE=${min_coverage}"
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "configuring the suite consumer failed")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}" --parallel 2 RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "building the suite consumer failed")
  endif()
  execute_process(COMMAND "${CMAKE_CTEST_COMMAND}" --output-on-failure
                  WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE result OUTPUT_VARIABLE log
                  ERROR_VARIABLE log)
  set(${out_result} ${result} PARENT_SCOPE)
  set(${out_log} "${log}" PARENT_SCOPE)
endfunction()

consumer_ctest(0.5 result log)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the consumer's ctest failed with MIN_COVERAGE 0.5:\n${log}")
endif()
foreach(report IN ITEMS conformance.json conformance.junit.xml conformance.md conformance.html)
  if(NOT EXISTS "${WORK}/signup_tests_conformance/${report}")
    message(FATAL_ERROR "the check wrote no ${report}:\n${log}")
  endif()
endforeach()
file(READ "${WORK}/signup_tests_conformance/conformance.md" markdown)
foreach(expected IN ITEMS "Signup.Completes" "Signup.IsCancelled" "reason declined")
  string(FIND "${markdown}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "conformance.md does not mention ${expected}:\n${markdown}")
  endif()
endforeach()

consumer_ctest(1.0 result log)
if(result EQUAL 0)
  message(FATAL_ERROR "the check passed with MIN_COVERAGE 1.0 at 75% coverage:\n${log}")
endif()
string(FIND "${log}" "signup_tests_conformance (Failed)" at)
if(at EQUAL -1)
  message(FATAL_ERROR "ctest failed, but not in the conformance check:\n${log}")
endif()
string(FIND "${log}" "below the required minimum" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the check failed for another reason than coverage:\n${log}")
endif()
message(STATUS "suite consumer: passes at MIN_COVERAGE 0.5, fails at 1.0")
