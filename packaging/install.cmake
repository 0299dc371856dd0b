# install.cmake — the packaging_install fixture: installs a flowproof build into a fresh prefix and
# checks that the package files are there.
#   cmake -DBUILD_DIR=<build> -DPREFIX=<prefix> [-DCONFIG=<config>]
#         [-DSCAN_SOURCE_PATHS=ON -DSOURCE_DIR=<flowproof source> -DOBJCOPY=<objcopy>] -P install.cmake
foreach(required IN ITEMS BUILD_DIR PREFIX)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "install.cmake: ${required} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(config_arguments "")
if(CONFIG)
  set(config_arguments --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}"
                        ${config_arguments}
                RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "cmake --install ${BUILD_DIR} failed (${result})")
endif()

# The files a consumer needs; lib/ may be lib64/ on some systems, so search for the config.
file(GLOB_RECURSE config_files "${PREFIX}/*/flowproofConfig.cmake")
file(GLOB_RECURSE version_files "${PREFIX}/*/flowproofConfigVersion.cmake")
file(GLOB_RECURSE helper_files "${PREFIX}/*/flowproofHelpers.cmake")
foreach(kind IN ITEMS config_files version_files helper_files)
  if(NOT ${kind})
    message(FATAL_ERROR "install.cmake: the install lacks ${kind} (prefix ${PREFIX})")
  endif()
endforeach()
foreach(header IN ITEMS include/flowproof/harness/event.hpp include/flowproof/conformance/plan.hpp
                        bin/flowproof)
  if(NOT EXISTS "${PREFIX}/${header}")
    message(FATAL_ERROR "install.cmake: ${PREFIX}/${header} was not installed")
  endif()
endforeach()
# No installed library carries the build machine's source paths (they would show in users' failure
# output: flowproof_add_library maps __FILE__ to flowproof/...). Debug information keeps them, for
# debuggers, so it is stripped from a copy first.
if(SCAN_SOURCE_PATHS)
  if(NOT OBJCOPY)
    message(FATAL_ERROR "install.cmake: no objcopy to strip debug information with")
  endif()
  file(GLOB_RECURSE libraries "${PREFIX}/*flowproof_*.a" "${PREFIX}/*flowproof_*.so*")
  if(NOT libraries)
    message(FATAL_ERROR "install.cmake: no flowproof library under ${PREFIX}")
  endif()
  string(REGEX REPLACE "([][+.*()^$?|\\])" "\\\\\\1" source_dir_regex "${SOURCE_DIR}")
  set(scratch "${PREFIX}-scan")
  file(REMOVE_RECURSE "${scratch}")
  file(MAKE_DIRECTORY "${scratch}")
  foreach(library IN LISTS libraries)
    if(IS_SYMLINK "${library}")
      continue()
    endif()
    get_filename_component(name "${library}" NAME)
    execute_process(COMMAND "${OBJCOPY}" --strip-debug "${library}" "${scratch}/${name}"
                    RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
      message(FATAL_ERROR "install.cmake: objcopy --strip-debug ${library} failed")
    endif()
    file(STRINGS "${scratch}/${name}" leaks REGEX "${source_dir_regex}/")
    if(leaks)
      list(JOIN leaks "\n  " leaks)
      message(FATAL_ERROR "install.cmake: ${library} holds the build machine's source paths:\n"
                          "  ${leaks}")
    endif()
  endforeach()
  file(REMOVE_RECURSE "${scratch}")
endif()
message(STATUS "flowproof installed into ${PREFIX}")
