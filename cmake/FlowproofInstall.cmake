# FlowproofInstall.cmake — install rules and the CMake package (export set flowproofTargets,
# namespace flowproof::) for the install tree and the build tree. Included last by the top-level
# CMakeLists.txt when FLOWPROOF_INSTALL is on:
#
#   cmake --install build --prefix /opt/flowproof
#   # consumer: find_package(flowproof CONFIG REQUIRED) with CMAKE_PREFIX_PATH=/opt/flowproof,
#   #           or with flowproof_DIR=<flowproof build dir> (no install needed)
#
# Which targets exist is read from the global property FLOWPROOF_EXPORTED_TARGETS, which
# flowproof_add_library (FlowproofWarnings.cmake) and conformance/CMakeLists.txt (the `flowproof`
# command) fill; a module that has no library yet (e.g. properties without sources) is simply not
# installed or exported.
set(FLOWPROOF_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/flowproof"
    CACHE STRING "Where flowproofConfig.cmake is installed, relative to the prefix")

# The package each external link item of an exported library comes from, as flowproofConfig.cmake
# names it (it knows how to find each one). A new dependency must be added here: an unknown item is
# a configure error rather than a package that silently fails to find it.
set(flowproof_package_of_nlohmann_json__nlohmann_json nlohmann_json)
set(flowproof_package_of_Threads__Threads Threads)
set(flowproof_package_of_simdjson__simdjson simdjson)
set(flowproof_package_of_ZLIB__ZLIB ZLIB)
set(flowproof_package_of_PkgConfig__FLOWPROOF_RE2 RE2)
set(flowproof_package_of_GTest__gtest GTest)
set(flowproof_package_of_GTest__gmock GTest)
set(flowproof_package_of_rapidcheck rapidcheck)

get_property(flowproof_listed_targets GLOBAL PROPERTY FLOWPROOF_EXPORTED_TARGETS)
list(REMOVE_DUPLICATES flowproof_listed_targets)
set(flowproof_export_targets "")
set(flowproof_has_shared OFF)
# find_package(flowproof COMPONENTS ...): one component per exported target, named as the target
# (harness for flowproof::harness, ..., flowproof for the command). For each, the components it
# links (FLOWPROOF_CONFIG_TABLE: _flowproof_requires_<c>) and the packages its link needs
# (_flowproof_packages_<c>): public dependencies, and private ones too for a static library, whose
# private dependencies go into the consumer's link.
set(FLOWPROOF_CONFIG_COMPONENTS "")
set(FLOWPROOF_CONFIG_TABLE "")
foreach(target IN LISTS flowproof_listed_targets)
  if(NOT TARGET ${target})
    continue()
  endif()
  list(APPEND flowproof_export_targets ${target})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "SHARED_LIBRARY")
    set(flowproof_has_shared ON)
  endif()
  get_target_property(component ${target} EXPORT_NAME)
  if(NOT component)
    set(component ${target})
  endif()
  list(APPEND FLOWPROOF_CONFIG_COMPONENTS ${component})
  set(requires "")
  set(packages "")
  if(type MATCHES "LIBRARY$")
    get_target_property(items ${target} INTERFACE_LINK_LIBRARIES)
    if(type STREQUAL "STATIC_LIBRARY")
      get_target_property(items ${target} LINK_LIBRARIES)
    endif()
    foreach(item IN LISTS items)
      if(item MATCHES "^flowproof(::|_)(.+)$")
        list(APPEND requires ${CMAKE_MATCH_2})
        continue()
      endif()
      string(MAKE_C_IDENTIFIER "${item}" item_id)
      if(NOT DEFINED flowproof_package_of_${item_id})
        message(FATAL_ERROR "FlowproofInstall.cmake: ${target} links ${item}; say which package "
                            "provides it (flowproof_package_of_...) and teach "
                            "flowproofConfig.cmake.in to find it")
      endif()
      list(APPEND packages ${flowproof_package_of_${item_id}})
    endforeach()
  endif()
  string(APPEND FLOWPROOF_CONFIG_TABLE "set(_flowproof_requires_${component} ${requires})\n"
                                       "set(_flowproof_packages_${component} ${packages})\n")
  # Each library's public headers live in <module>/include/ (flowproof_add_library's convention).
  if(type MATCHES "LIBRARY$")
    get_target_property(module_dir ${target} SOURCE_DIR)
    if(IS_DIRECTORY "${module_dir}/include")
      install(DIRECTORY "${module_dir}/include/" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
              COMPONENT flowproof_development FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
    endif()
  endif()
endforeach()

# A shared build's installed `flowproof` command finds its libraries next to it, in any prefix
# (/opt/flowproof, a copied prefix): RUNPATH $ORIGIN/../<libdir>. Static builds (the default, and
# what the Debian packages ship) link the libraries in and get no RUNPATH.
if(flowproof_has_shared)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(flowproof_install_rpath "${CMAKE_INSTALL_LIBDIR}")
  else()
    file(RELATIVE_PATH flowproof_bin_to_lib "/prefix/${CMAKE_INSTALL_BINDIR}"
         "/prefix/${CMAKE_INSTALL_LIBDIR}")
    set(flowproof_install_rpath "$ORIGIN/${flowproof_bin_to_lib}")
  endif()
  foreach(target IN LISTS flowproof_export_targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      set_target_properties(${target} PROPERTIES INSTALL_RPATH "${flowproof_install_rpath}")
    endif()
  endforeach()
endif()

if(flowproof_export_targets)
  install(TARGETS ${flowproof_export_targets}
          EXPORT flowproofTargets
          RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT flowproof_runtime
          LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT flowproof_runtime
          ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT flowproof_development)
  install(EXPORT flowproofTargets NAMESPACE flowproof:: DESTINATION "${FLOWPROOF_INSTALL_CMAKEDIR}"
          COMPONENT flowproof_development)
  # The build tree is a package too: find_package(flowproof) with flowproof_DIR=<build dir>.
  export(EXPORT flowproofTargets NAMESPACE flowproof::
         FILE "${PROJECT_BINARY_DIR}/flowproofTargets.cmake")
endif()

# Install-tree config.
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/flowproofConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/install/flowproofConfig.cmake"
  INSTALL_DESTINATION "${FLOWPROOF_INSTALL_CMAKEDIR}")
# Build-tree config: the same template, its relative paths resolved from the build directory.
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/flowproofConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/flowproofConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}")
# Before 1.0 a minor release may break the API, so find_package(flowproof 0.1) accepts 0.1.x only;
# from 1.0 on, any later release with the same major version.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(flowproof_version_compatibility SameMinorVersion)
else()
  set(flowproof_version_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/flowproofConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY ${flowproof_version_compatibility})
configure_file("${PROJECT_SOURCE_DIR}/cmake/flowproofHelpers.cmake"
               "${PROJECT_BINARY_DIR}/flowproofHelpers.cmake" COPYONLY)
configure_file("${PROJECT_SOURCE_DIR}/cmake/flowproofConformance.cmake"
               "${PROJECT_BINARY_DIR}/flowproofConformance.cmake" COPYONLY)

install(FILES "${PROJECT_BINARY_DIR}/cmake/install/flowproofConfig.cmake"
              "${PROJECT_BINARY_DIR}/flowproofConfigVersion.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/flowproofHelpers.cmake"
              "${PROJECT_SOURCE_DIR}/cmake/flowproofConformance.cmake"
        DESTINATION "${FLOWPROOF_INSTALL_CMAKEDIR}" COMPONENT flowproof_development)
