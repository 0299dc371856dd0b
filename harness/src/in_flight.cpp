// Internal: makes the exception in flight reachable from a destructor during unwinding.
//
// std::current_exception() only sees exceptions that are caught, so a FlowTracker destroyed by
// unwinding cannot ask for the exception that destroys it. On the Itanium C++ ABI (libstdc++ on
// Linux) this file interposes three runtime entry points and calls the real ones via
// dlsym(RTLD_NEXT):
// - __cxa_throw records (object, uncaught depth before the throw) in a small thread-local stack;
// - __cxa_rethrow records the rethrown (currently handled) exception the same way;
// - __cxa_begin_catch forgets the caught exception, so a record never outlives its object in
//   flight (a caught exception may be destroyed at any time afterwards) — only the record thrown
//   at the depth being caught: a destructor that classifies the exception unwinding it (by
//   std::rethrow_exception and a catch, as error_class() does) catches the same object one level
//   deeper, and that object is still in flight for every other destructor it unwinds.
// in_flight_exception() looks up the record whose depth matches std::uncaught_exceptions() and
// turns the object pointer into a real, owning std::exception_ptr (libstdc++'s exception_ptr is
// exactly the thrown object's pointer; copying one takes a reference, which keeps the object
// alive). Exceptions raised through other paths (std::rethrow_exception, foreign exceptions)
// leave no record: in_flight_exception() then returns null rather than guess.
#include "in_flight.hpp"

#include <cxxabi.h>
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <typeinfo>

static_assert(sizeof(std::exception_ptr) == sizeof(void*),
              "the in-flight hooks need libstdc++'s single-pointer exception_ptr");

namespace flowproof::harness::detail {
namespace {

struct Record {
  void* object;  // the thrown object (the primary exception)
  int depth;     // std::uncaught_exceptions() just before it was thrown
};

constexpr int capacity = 16;

struct Stack {
  Record records[capacity];
  int size;
};

constinit thread_local Stack stack{};

void push(void* object, int depth) noexcept {
  if (object == nullptr) return;
  if (stack.size == capacity) {
    std::memmove(&stack.records[0], &stack.records[1], sizeof(Record) * (capacity - 1));
    --stack.size;
  }
  stack.records[stack.size++] = Record{object, depth};
}

// Forgets the record of `object` thrown at `depth` (std::uncaught_exceptions() once caught).
void forget(void* object, int depth) noexcept {
  for (int i = stack.size - 1; i >= 0; --i) {
    if (stack.records[i].object == object && stack.records[i].depth == depth) {
      std::memmove(&stack.records[i], &stack.records[i + 1], sizeof(Record) * (stack.size - i - 1));
      --stack.size;
      return;
    }
  }
}

// The primary exception object behind an exception_ptr (without taking a reference).
void* object_of(const std::exception_ptr& pointer) noexcept {
  void* object = nullptr;
  std::memcpy(&object, static_cast<const void*>(&pointer), sizeof object);
  return object;
}

template <class Function>
Function real(const char* name) noexcept {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) std::abort();  // no C++ runtime after us: nothing sane can be done
  return reinterpret_cast<Function>(symbol);
}

using ThrowFunction = void (*)(void*, std::type_info*, void (*)(void*));
using RethrowFunction = void (*)();
using BeginCatchFunction = void* (*)(void*);

}  // namespace

std::exception_ptr in_flight_exception() noexcept {
  const int depth = std::uncaught_exceptions() - 1;
  for (int i = stack.size - 1; i >= 0; --i) {
    if (stack.records[i].depth == depth) {
      // Borrow the object as an exception_ptr without a reference, copy it (taking one), and never
      // run the borrowed pointer's destructor.
      alignas(std::exception_ptr) unsigned char storage[sizeof(std::exception_ptr)];
      std::memcpy(storage, &stack.records[i].object, sizeof(void*));
      return *std::launder(reinterpret_cast<std::exception_ptr*>(storage));
    }
  }
  return nullptr;
}

}  // namespace flowproof::harness::detail

namespace __cxxabiv1 {
extern "C" {

// NOLINTNEXTLINE: the C++ runtime's own name, interposed on purpose.
void __cxa_throw(void* object, std::type_info* type, void (*destructor)(void*)) {
  static const auto real_throw =
      flowproof::harness::detail::real<flowproof::harness::detail::ThrowFunction>("__cxa_throw");
  flowproof::harness::detail::push(object, std::uncaught_exceptions());
  real_throw(object, type, destructor);
  std::abort();  // the real __cxa_throw never returns
}

void __cxa_rethrow() {
  static const auto real_rethrow =
      flowproof::harness::detail::real<flowproof::harness::detail::RethrowFunction>(
          "__cxa_rethrow");
  {
    const std::exception_ptr current = std::current_exception();
    flowproof::harness::detail::push(flowproof::harness::detail::object_of(current),
                                     std::uncaught_exceptions());
  }
  real_rethrow();
  std::abort();  // the real __cxa_rethrow never returns
}

void* __cxa_begin_catch(void* unwind_header) noexcept {
  static const auto real_begin_catch =
      flowproof::harness::detail::real<flowproof::harness::detail::BeginCatchFunction>(
          "__cxa_begin_catch");
  void* adjusted = real_begin_catch(unwind_header);
  if (flowproof::harness::detail::stack.size > 0) {
    const std::exception_ptr current = std::current_exception();
    flowproof::harness::detail::forget(flowproof::harness::detail::object_of(current),
                                       std::uncaught_exceptions());
  }
  return adjusted;
}

}  // extern "C"
}  // namespace __cxxabiv1
