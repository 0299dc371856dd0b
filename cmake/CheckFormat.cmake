# CheckFormat.cmake — the ctest test `source_format`: every C++ source and header of the project is
# formatted as .clang-format says (`clang-format --dry-run --Werror`). A file that is not fails the
# test with clang-format's own report of where; `clang-format -i FILE` mends it.
#
#   cmake -D FLOWPROOF_SOURCE_DIR=DIR -D CLANG_FORMAT=PROGRAM -P cmake/CheckFormat.cmake
if(NOT CLANG_FORMAT)
  message(FATAL_ERROR "source_format: clang-format was not found when the build was configured "
                      "(scripts/install-deps installs it)")
endif()
set(globs "")
foreach(directory IN ITEMS harness conformance fakes properties gtest examples fuzz bench docs
                          packaging)
  foreach(extension IN ITEMS cpp hpp h)
    list(APPEND globs "${FLOWPROOF_SOURCE_DIR}/${directory}/*.${extension}")
  endforeach()
endforeach()
file(GLOB_RECURSE sources LIST_DIRECTORIES false RELATIVE "${FLOWPROOF_SOURCE_DIR}" ${globs})
list(SORT sources)
list(LENGTH sources count)
if(count EQUAL 0)
  message(FATAL_ERROR "source_format: no sources found under ${FLOWPROOF_SOURCE_DIR}")
endif()
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run --Werror ${sources}
                WORKING_DIRECTORY "${FLOWPROOF_SOURCE_DIR}"
                RESULT_VARIABLE result
                ERROR_VARIABLE report)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "source_format: not formatted as .clang-format says "
                      "(clang-format -i FILE mends it):\n${report}")
endif()
message(STATUS "source_format: ${count} files formatted")
