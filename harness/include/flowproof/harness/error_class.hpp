// flowproof/harness/error_class.hpp — the error class of an exception: its type name, never its
// message (messages can hold user data).
//
//   try { create_application(); }
//   catch (...) { flow.fail(error_class(std::current_exception())); }   // "api::QuotaExceeded"
//
// Rules:
// - the name is the demangled dynamic type (abi::__cxa_demangle of typeid(e).name());
// - nested exceptions (std::throw_with_nested / std::nested_exception): the wrapper type that
//   std::throw_with_nested(T) creates is reported as T; when T is a generic wrapper — exactly
//   std::exception, std::runtime_error, std::logic_error or std::nested_exception — and it holds a
//   nested exception, the nested one is classified instead (recursively). Any other type, even one
//   that holds a nested exception, is informative and reported itself;
// - exceptions not derived from std::exception: their demangled type; no type known: "unknown";
// - the name is normalised to the tracking plan's default error-class alphabet
//   ([A-Za-z0-9_.:*<>[]/-], at most 128 characters): spaces are dropped,
//   "(anonymous namespace)" becomes "anonymous", any other character becomes '_'.
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>

namespace flowproof::harness {

/// Error class of a tracker destroyed with neither a terminal nor an exception (an early return).
inline constexpr std::string_view no_terminal_error_class = "flowproof::harness::NoTerminal";
/// Error class when no type is known (a null exception_ptr, a foreign exception).
inline constexpr std::string_view unknown_error_class = "unknown";

/// The error class of the exception held by error (see the rules in this file's comment).
std::string error_class(std::exception_ptr error);
/// The error class of e (see the rules in this file's comment).
std::string error_class(const std::exception& error);
/// The normalised demangled name of a type, e.g. "std::out_of_range".
std::string type_name(const std::type_info& type);

}  // namespace flowproof::harness
