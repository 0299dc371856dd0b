// Which defect of the bug zoo this build carries (cloud_cli/zoo.hpp); compiled into every variant.
#include "cloud_cli/zoo.hpp"

#define CLOUD_CLI_ZOO_STRING_(name) #name
#define CLOUD_CLI_ZOO_STRING(name) CLOUD_CLI_ZOO_STRING_(name)

namespace cloud_cli::zoo {

const char* defect() { return CLOUD_CLI_ZOO_STRING(CLOUD_CLI_DEFECT); }

}  // namespace cloud_cli::zoo
