// cloud_cli/zoo.hpp — the bug zoo's build switch: CLOUD_CLI_DEFECT names one bug class, and the
// product's sources carry that bug at the place where it would really live (docs/properties.md,
// "The bug zoo"). Unset (or `none`) is the correct product; CMake builds one library per defect,
// cloud_cli_zoo_<defect>, recompiling only the sources that mention it.
//
//   #if CLOUD_CLI_DEFECT_IS(tracked_dry_run)
//     harness::Client* telemetry = &services.client;  // BUG: a dry run tracked like a real one
//   #else
//     harness::Client* telemetry = invocation.dry_run ? nullptr : &services.client;
//   #endif
//
// Adding a bug class: a `#define CLOUD_CLI_DEFECT_<name> <number>` line below (CMake reads the
// list from here), the guarded lines in the sources, and a specimen in test/zoo/zoo_test.cpp.
#pragma once

// The defects (CMake reads these lines: keep one per line, `none` first).
#define CLOUD_CLI_DEFECT_none 100
#define CLOUD_CLI_DEFECT_no_terminal_on_ctrl_c_outside_prompt 1
#define CLOUD_CLI_DEFECT_two_terminals_on_billing_wall 2
#define CLOUD_CLI_DEFECT_cancelled_after_success 3
#define CLOUD_CLI_DEFECT_abort_without_reason 4
#define CLOUD_CLI_DEFECT_message_as_error_class 5
#define CLOUD_CLI_DEFECT_duration_includes_later_wait 6
#define CLOUD_CLI_DEFECT_call_site_overrides_base_property 7
#define CLOUD_CLI_DEFECT_nested_auth_funnel 8
#define CLOUD_CLI_DEFECT_tracked_dry_run 9
#define CLOUD_CLI_DEFECT_racing_sequence 10
#define CLOUD_CLI_DEFECT_wrong_region_after_retry 11
#define CLOUD_CLI_DEFECT_generic_error_class 12

#ifndef CLOUD_CLI_DEFECT
#define CLOUD_CLI_DEFECT none
#endif

#define CLOUD_CLI_DEFECT_NUMBER_(name) CLOUD_CLI_DEFECT_##name
#define CLOUD_CLI_DEFECT_NUMBER(name) CLOUD_CLI_DEFECT_NUMBER_(name)
/// True in `#if` when this build carries the named defect.
#define CLOUD_CLI_DEFECT_IS(name) \
  (CLOUD_CLI_DEFECT_NUMBER(CLOUD_CLI_DEFECT) == CLOUD_CLI_DEFECT_NUMBER_(name))

// An unknown name evaluates to 0 in #if: refuse it rather than build the correct product.
#if CLOUD_CLI_DEFECT_NUMBER(CLOUD_CLI_DEFECT) == 0
#error "CLOUD_CLI_DEFECT names no defect listed in cloud_cli/zoo.hpp"
#endif

namespace cloud_cli::zoo {

/// The defect the linked product carries: "none" for the correct product, else its name.
const char* defect();

/// Defined only in the no_terminal_on_ctrl_c_outside_prompt variant: SIGINT's default action as
/// far as telemetry can tell (the process ends on the spot, nothing more is sent).
void end_process_on_sigint();

}  // namespace cloud_cli::zoo
