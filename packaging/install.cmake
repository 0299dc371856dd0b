# install.cmake — the packaging_install fixture: installs a flowproof build into a fresh prefix and
# checks that the package files are there.
#   cmake -DBUILD_DIR=<build> -DPREFIX=<prefix> [-DCONFIG=<config>] -P install.cmake
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
message(STATUS "flowproof installed into ${PREFIX}")
