# zoo.cmake — the bug zoo (docs/properties.md, "The bug zoo"): for every defect listed in
# include/cloud_cli/zoo.hpp, a library cloud_cli_zoo_<defect> built from the product's own sources
# with CLOUD_CLI_DEFECT=<defect>, and a test program cloud_cli_zoo_<defect>_tests asserting that the
# generic funnel property catches it. cloud_cli_zoo_none_tests runs the same test against the
# correct product (cloud_cli_core), which must pass.
#
# With CLOUD_CLI_ZOO_SCRIPTED=ON (off by default, so CI builds and runs none of it), also a program
# cloud_cli_zoo_<defect>_scripted per defect: the example's scripted suite (test/*_test.cpp but the
# property tests) linked against the variant, to see which scripted tests a bug fails. They are not
# registered with ctest, since a variant is meant to fail some of them; run one by hand, e.g.
#   build/examples/cloud-cli/cloud_cli_zoo_racing_sequence_scripted --gtest_brief=1
#
# A variant recompiles only the switched sources (CLOUD_CLI_SWITCHED_SOURCES) whose text mentions
# CLOUD_CLI_DEFECT_IS(<defect>), plus src/zoo.cpp (which names the defect); every other object is
# the correct product's. Each source is in a variant once, so no symbol is defined twice.
# Included by CMakeLists.txt after properties.cmake.
include_guard(GLOBAL)
if(NOT TARGET flowproof::properties)
  return()
endif()

set(zoo_header "${CMAKE_CURRENT_LIST_DIR}/include/cloud_cli/zoo.hpp")
file(STRINGS "${zoo_header}" zoo_lines REGEX "^#define CLOUD_CLI_DEFECT_[a-z_]+ [0-9]+$")
set(CLOUD_CLI_DEFECTS "")
foreach(line IN LISTS zoo_lines)
  string(REGEX REPLACE "^#define CLOUD_CLI_DEFECT_([a-z_]+) .*$" "\\1" defect "${line}")
  if(NOT defect STREQUAL "none")
    list(APPEND CLOUD_CLI_DEFECTS ${defect})
  endif()
endforeach()
# Re-configure when a switch is added or moved.
set(zoo_inputs "${zoo_header}")
foreach(source IN LISTS CLOUD_CLI_SWITCHED_SOURCES)
  list(APPEND zoo_inputs "${CMAKE_CURRENT_LIST_DIR}/src/${source}.cpp")
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${zoo_inputs})

# The test, compiled once and linked against each variant (it asks the library which one it is).
add_library(cloud_cli_zoo_test_objects OBJECT test/zoo/zoo_test.cpp)
target_link_libraries(cloud_cli_zoo_test_objects PRIVATE cloud_cli_core flowproof::properties
                                                         flowproof::conformance GTest::gmock)
target_include_directories(cloud_cli_zoo_test_objects PRIVATE test)
target_compile_definitions(cloud_cli_zoo_test_objects PRIVATE
  CLOUD_CLI_PLAN_PATH="${CMAKE_CURRENT_LIST_DIR}/cli.plan.json")
flowproof_set_warnings(cloud_cli_zoo_test_objects)

function(cloud_cli_zoo_test name library)
  flowproof_add_test(${name} $<TARGET_OBJECTS:cloud_cli_zoo_test_objects>
                     LIBS ${library} flowproof::properties flowproof::conformance)
endfunction()

option(CLOUD_CLI_ZOO_SCRIPTED "Build the cloud-cli scripted suite against each bug zoo variant" OFF)
if(CLOUD_CLI_ZOO_SCRIPTED)
  # The scripted test sources, compiled once and linked against each variant.
  file(GLOB zoo_scripted_sources CONFIGURE_DEPENDS test/*_test.cpp)
  list(FILTER zoo_scripted_sources EXCLUDE REGEX "/properties_[^/]*_test\\.cpp$")
  add_library(cloud_cli_zoo_scripted_objects OBJECT ${zoo_scripted_sources})
  target_link_libraries(cloud_cli_zoo_scripted_objects PRIVATE cloud_cli_core
                                                               flowproof::conformance GTest::gmock)
  target_compile_definitions(cloud_cli_zoo_scripted_objects PRIVATE
    CLOUD_CLI_PLAN_PATH="${CMAKE_CURRENT_LIST_DIR}/cli.plan.json")
  flowproof_set_warnings(cloud_cli_zoo_scripted_objects)
endif()
function(cloud_cli_zoo_scripted name library)
  if(CLOUD_CLI_ZOO_SCRIPTED)
    add_executable(${name} $<TARGET_OBJECTS:cloud_cli_zoo_scripted_objects>)
    target_link_libraries(${name} PRIVATE ${library} flowproof::conformance GTest::gmock_main)
    flowproof_set_warnings(${name})
  endif()
endfunction()

cloud_cli_zoo_test(cloud_cli_zoo_none_tests cloud_cli_core)
cloud_cli_zoo_scripted(cloud_cli_zoo_none_scripted cloud_cli_core)
foreach(defect IN LISTS CLOUD_CLI_DEFECTS)
  set(objects $<TARGET_OBJECTS:cloud_cli_common>)
  set(own_sources src/zoo.cpp)
  foreach(source IN LISTS CLOUD_CLI_SWITCHED_SOURCES)
    if(source STREQUAL "zoo")
      continue()
    endif()
    file(READ "${CMAKE_CURRENT_LIST_DIR}/src/${source}.cpp" text)
    string(FIND "${text}" "CLOUD_CLI_DEFECT_IS(${defect})" at)
    if(at EQUAL -1)
      list(APPEND objects $<TARGET_OBJECTS:cloud_cli_${source}>)
    else()
      list(APPEND own_sources src/${source}.cpp)
    endif()
  endforeach()
  if(own_sources STREQUAL "src/zoo.cpp")
    message(FATAL_ERROR "zoo: no source mentions CLOUD_CLI_DEFECT_IS(${defect})")
  endif()
  add_library(cloud_cli_zoo_${defect} STATIC ${own_sources} ${objects})
  target_compile_definitions(cloud_cli_zoo_${defect} PRIVATE CLOUD_CLI_DEFECT=${defect})
  cloud_cli_product_target(cloud_cli_zoo_${defect})
  cloud_cli_zoo_test(cloud_cli_zoo_${defect}_tests cloud_cli_zoo_${defect})
  cloud_cli_zoo_scripted(cloud_cli_zoo_${defect}_scripted cloud_cli_zoo_${defect})
endforeach()
