# components.cmake — packaging_components: find_package(flowproof COMPONENTS ...) finds only what
# the requested components need, and says which component and which dependency when it fails.
# Configures components-consumer/ several times against a flowproof package with some of
# flowproof's dependencies made unavailable (CMAKE_DISABLE_FIND_PACKAGE_<name>), builds and runs its
# harness-only program once, and checks flowproofConfigVersion.cmake's answers.
#   cmake -DFLOWPROOF_DIR=<package dir> -DWORK=<dir> -DGENERATOR=<gen> -DCXX=<compiler>
#         -DBUILD_TYPE=<type> [-DCXX_FLAGS=<flags>] [-DLINKER_FLAGS=<flags>] -P components.cmake
set(source "${CMAKE_CURRENT_LIST_DIR}/components-consumer")
file(REMOVE_RECURSE "${WORK}")

# consumer(<name> <out-result> <out-log> -D...): configures the consumer in WORK/<name>.
function(consumer name out_result out_log)
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${source}" -B "${WORK}/${name}" -G "${GENERATOR}"
                          "-DCMAKE_CXX_COMPILER=${CXX}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
                          "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINKER_FLAGS}"
                          "-Dflowproof_DIR=${FLOWPROOF_DIR}" "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF"
                          ${ARGN}
                  RESULT_VARIABLE result OUTPUT_VARIABLE log ERROR_VARIABLE log)
  if(log MATCHES "Ignoring extra path")
    message(FATAL_ERROR "components.cmake passed a list where one argument was meant:\n${log}")
  endif()
  set(${out_result} ${result} PARENT_SCOPE)
  set(${out_log} "${log}" PARENT_SCOPE)
endfunction()

# expect_in(<log> <text> <what>): <text> is in <log>, whose lines CMake may have wrapped.
function(expect_in log text what)
  string(REGEX REPLACE "[ \t\r\n]+" " " flat "${log}")
  string(FIND "${flat}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: the output lacks \"${text}\":\n${log}")
  endif()
endfunction()

# Everything but nlohmann_json and Threads made unavailable: no test framework, no checker
# dependencies.
set(no_test_frameworks -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON
                       -DCMAKE_DISABLE_FIND_PACKAGE_rapidcheck=ON)
set(no_checker_dependencies -DCMAKE_DISABLE_FIND_PACKAGE_simdjson=ON
                            -DCMAKE_DISABLE_FIND_PACKAGE_ZLIB=ON
                            -DCMAKE_DISABLE_FIND_PACKAGE_PkgConfig=ON)

# 1. COMPONENTS harness: found without any of them; none of them even looked for; the program that
#    links only flowproof::harness builds and runs.
consumer(harness result log ${no_test_frameworks} ${no_checker_dependencies}
         "-DCONSUMER_COMPONENTS=harness"
         "-DCONSUMER_NOT_LOOKED_FOR=GTest,rapidcheck,simdjson,ZLIB,PkgConfig")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "COMPONENTS harness without GoogleTest and rapidcheck failed:\n${log}")
endif()
expect_in("${log}" "flowproof_harness_FOUND=TRUE" "COMPONENTS harness")
# A disabled package that find_package() was never called for leaves its
# CMAKE_DISABLE_FIND_PACKAGE_<name> unread, and CMake lists it as unused.
expect_in("${log}" "Manually-specified variables were not used" "COMPONENTS harness")
foreach(package IN ITEMS GTest rapidcheck simdjson ZLIB PkgConfig)
  expect_in("${log}" " CMAKE_DISABLE_FIND_PACKAGE_${package} " "COMPONENTS harness (${package})")
endforeach()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}/harness" --parallel 2
                RESULT_VARIABLE result OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the harness-only consumer failed:\n${log}")
endif()
file(GLOB_RECURSE program "${WORK}/harness/harness_only" "${WORK}/harness/harness_only.exe")
execute_process(COMMAND ${program} RESULT_VARIABLE result OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the harness-only consumer failed (${result}):\n${log}")
endif()
expect_in("${log}" "harness only: 2 event(s), pass" "the harness-only consumer")

# 1b. With every dependency installed, still none of them looked for (a lookup would leave
#     <name>_FOUND in the consumer's scope).
consumer(harness-all-installed result log "-DCONSUMER_COMPONENTS=harness"
         "-DCONSUMER_NOT_LOOKED_FOR=GTest,rapidcheck,simdjson,ZLIB,PkgConfig")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "COMPONENTS harness looked for more than it needs:\n${log}")
endif()

# 1c. Product code at the top asks for harness, a tests/ subdirectory for conformance: configures,
#     generates, builds and runs (the checker's packages are found below, made global).
consumer(subdirectory result log "-DCONSUMER_COMPONENTS=harness" "-DCONSUMER_TESTS_SUBDIRECTORY=ON")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "a second find_package(flowproof) in a subdirectory failed:\n${log}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}/subdirectory" --parallel 2
                RESULT_VARIABLE result OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "building the subdirectory consumer failed:\n${log}")
endif()
file(GLOB_RECURSE program "${WORK}/subdirectory/tests/conformance_below"
     "${WORK}/subdirectory/tests/conformance_below.exe")
execute_process(COMMAND ${program} RESULT_VARIABLE result OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "the subdirectory consumer failed (${result}):\n${log}")
endif()
expect_in("${log}" "conformance below: pass" "the subdirectory consumer")

# 2. A requested component whose dependencies are missing: the message names the component and
#    each missing dependency.
consumer(properties result log ${no_test_frameworks} "-DCONSUMER_COMPONENTS=harness,properties")
if(result EQUAL 0)
  message(FATAL_ERROR "COMPONENTS properties was found without GoogleTest and rapidcheck:\n${log}")
endif()
expect_in("${log}" "component 'properties' needs GTest, which was not found" "COMPONENTS properties")
expect_in("${log}" "component 'properties' needs rapidcheck, which was not found"
          "COMPONENTS properties")

# 3. The same component asked for as optional: found, and flowproof_properties_FOUND says it is not.
consumer(optional result log ${no_test_frameworks} "-DCONSUMER_COMPONENTS=harness"
         "-DCONSUMER_OPTIONAL_COMPONENTS=properties")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "an OPTIONAL_COMPONENTS properties without its dependencies failed:\n${log}")
endif()
expect_in("${log}" "flowproof_properties_FOUND=FALSE" "OPTIONAL_COMPONENTS properties")

# 4. No COMPONENTS: everything is required, as before components existed.
consumer(everything result log ${no_test_frameworks} "-DCONSUMER_COMPONENTS=")
if(result EQUAL 0)
  message(FATAL_ERROR "find_package(flowproof) without COMPONENTS was found without GoogleTest:\n"
                      "${log}")
endif()
expect_in("${log}" "component 'properties' needs GTest" "no COMPONENTS")

# 5. An unknown component is named.
consumer(unknown result log "-DCONSUMER_COMPONENTS=harness,gtest_matchers")
if(result EQUAL 0)
  message(FATAL_ERROR "an unknown component was accepted:\n${log}")
endif()
expect_in("${log}" "unknown component 'gtest_matchers'" "an unknown component")

# 6. Versions (flowproofConfigVersion.cmake, as find_package evaluates it): before 1.0 a request for
#    M.m accepts M.m.x only; from 1.0 on any later M.x. A later release is simulated by rewriting
#    the version in a copy of the file, as a release would generate it.
file(READ "${FLOWPROOF_DIR}/flowproofConfigVersion.cmake" version_file)
if(NOT version_file MATCHES "set\\(PACKAGE_VERSION \"([0-9]+)\\.([0-9]+)\\.([0-9]+)\"\\)")
  message(FATAL_ERROR "no PACKAGE_VERSION in flowproofConfigVersion.cmake")
endif()
set(major ${CMAKE_MATCH_1})
set(minor ${CMAKE_MATCH_2})
set(version "${major}.${minor}.${CMAKE_MATCH_3}")
function(expect_compatible package_version request expected)
  string(REPLACE "\"${version}\"" "\"${package_version}\"" text "${version_file}")
  file(WRITE "${WORK}/version/flowproofConfigVersion.cmake" "${text}")
  set(PACKAGE_FIND_NAME flowproof)
  set(PACKAGE_FIND_VERSION ${request})
  string(REPLACE "." ";" parts "${request}.0.0")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  list(GET parts 2 PACKAGE_FIND_VERSION_PATCH)
  set(CMAKE_SIZEOF_VOID_P 8)
  set(PACKAGE_VERSION_COMPATIBLE FALSE)
  include("${WORK}/version/flowproofConfigVersion.cmake")
  if(NOT PACKAGE_VERSION_COMPATIBLE STREQUAL expected OR PACKAGE_VERSION_UNSUITABLE)
    message(FATAL_ERROR "flowproof ${package_version} for find_package(flowproof ${request}): "
                        "compatible is ${PACKAGE_VERSION_COMPATIBLE}, expected ${expected}")
  endif()
endfunction()
math(EXPR next_minor "${minor} + 1")
math(EXPR next_major "${major} + 1")
expect_compatible(${version} ${major}.${minor} TRUE)
expect_compatible(${version} ${major}.${next_minor} FALSE)
expect_compatible(${major}.${minor}.9 ${major}.${minor} TRUE)
expect_compatible(${next_major}.0.0 ${major}.${minor} FALSE)
if(major EQUAL 0)
  expect_compatible(0.${next_minor}.0 0.${minor} FALSE)
  expect_compatible(${version} 0 FALSE)
  expect_compatible(1.0.0 1.0 TRUE)  # not this file's rule: checks the rewriting works
else()
  expect_compatible(${major}.${next_minor}.0 ${major}.${minor} TRUE)
endif()
message(STATUS "components: harness alone needs no test framework; missing dependencies, unknown "
               "components and versions are reported")
