// Internal: the exception propagating through a destructor (see in_flight.cpp for how).
//
//   if (std::uncaught_exceptions() > at_start) error = detail::in_flight_exception();
#pragma once

#include <exception>

namespace flowproof::harness::detail {

/// The exception currently unwinding this thread's stack (the innermost one), or null when it is
/// not known (thrown through a path the hooks do not see, e.g. std::rethrow_exception).
std::exception_ptr in_flight_exception() noexcept;

}  // namespace flowproof::harness::detail
