# Every dependency comes from the system (Debian packages) through find_package or pkg-config.
# Nothing is downloaded at configure time. docs/dependencies.md says why each one is here.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(simdjson REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(FLOWPROOF_RE2 REQUIRED IMPORTED_TARGET GLOBAL re2)
find_package(Threads REQUIRED)
# GoogleTest/GoogleMock and rapidcheck: the fakes and properties are test-side libraries.
find_package(GTest 1.10 REQUIRED)
find_package(rapidcheck REQUIRED)
if(FLOWPROOF_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
