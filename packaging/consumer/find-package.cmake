# How the consumer finds an installed flowproof (CMAKE_PREFIX_PATH=<prefix>) or a build tree
# (flowproof_DIR=<flowproof build dir>).
# snippet-begin: find-package
find_package(flowproof 0.1 CONFIG REQUIRED)
# snippet-end: find-package
