# How the consumer adds flowproof's source tree to its own build (e.g. a git submodule).
# snippet-begin: add-subdirectory
add_subdirectory(${FLOWPROOF_SOURCE_DIR} flowproof)  # e.g. third_party/flowproof
# snippet-end: add-subdirectory
