# How the consumer brings flowproof in with FetchContent. The test points SOURCE_DIR at a local
# tree (no download); a product would give GIT_REPOSITORY and GIT_TAG instead.
# snippet-begin: fetchcontent
include(FetchContent)
FetchContent_Declare(flowproof SOURCE_DIR ${FLOWPROOF_SOURCE_DIR})
FetchContent_MakeAvailable(flowproof)
# snippet-end: fetchcontent
