// Error classes: demangled dynamic type names, unwrapping generic nested-exception wrappers.
#include <flowproof/harness/error_class.hpp>

#include <cxxabi.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace flowproof::harness {
namespace {

std::string demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get()) : std::string(mangled);
}

// Fits a demangled name to the plan's default error-class alphabet.
std::string normalise(std::string_view name) {
  constexpr std::string_view anonymous = "(anonymous namespace)";
  std::string out;
  for (std::size_t i = 0; i < name.size() && out.size() < 128;) {
    if (name.substr(i, anonymous.size()) == anonymous) {
      out += "anonymous";
      i += anonymous.size();
      continue;
    }
    const char c = name[i++];
    if (c == ' ') continue;
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') ||
                         std::string_view("_.:*<>[]/-").find(c) != std::string_view::npos;
    out += allowed ? c : '_';
  }
  if (out.size() > 128) out.resize(128);
  return out.empty() ? std::string(unknown_error_class) : out;
}

// The type a wrapper made by std::throw_with_nested(T) stands for: T (libstdc++ and libc++).
std::string strip_nested_wrapper(std::string name) {
  for (std::string_view prefix : {"std::_Nested_exception<", "std::__nested<"}) {
    if (name.size() > prefix.size() + 1 && name.compare(0, prefix.size(), prefix) == 0 &&
        name.back() == '>') {
      std::string inner = name.substr(prefix.size(), name.size() - prefix.size() - 1);
      while (!inner.empty() && inner.back() == ' ') inner.pop_back();
      return inner;
    }
  }
  return name;
}

bool is_generic_wrapper(const std::string& name) {
  static constexpr std::array<std::string_view, 4> generic = {
      "std::exception", "std::runtime_error", "std::logic_error", "std::nested_exception"};
  for (std::string_view candidate : generic) {
    if (name == candidate) return true;
  }
  return false;
}

// Classifies a type name that may wrap a nested exception; depth bounds pathological chains.
std::string classify(const std::type_info& type, const std::nested_exception* nested, int depth) {
  std::string name = strip_nested_wrapper(demangle(type.name()));
  if (nested != nullptr && nested->nested_ptr() != nullptr && is_generic_wrapper(name) &&
      depth < 32) {
    std::exception_ptr inner = nested->nested_ptr();
    try {
      std::rethrow_exception(inner);
    } catch (const std::exception& e) {
      return classify(typeid(e), dynamic_cast<const std::nested_exception*>(&e), depth + 1);
    } catch (const std::nested_exception& n) {
      const std::type_info* current = abi::__cxa_current_exception_type();
      if (current != nullptr) return classify(*current, &n, depth + 1);
    } catch (...) {
      const std::type_info* current = abi::__cxa_current_exception_type();
      if (current != nullptr) return normalise(demangle(current->name()));
    }
  }
  return normalise(name);
}

}  // namespace

std::string type_name(const std::type_info& type) { return normalise(demangle(type.name())); }

std::string error_class(const std::exception& error) {
  return classify(typeid(error), dynamic_cast<const std::nested_exception*>(&error), 0);
}

std::string error_class(std::exception_ptr error) {
  if (!error) return std::string(unknown_error_class);
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return error_class(e);
  } catch (const std::nested_exception& n) {
    const std::type_info* current = abi::__cxa_current_exception_type();
    if (current != nullptr) return classify(*current, &n, 0);
  } catch (...) {
    const std::type_info* current = abi::__cxa_current_exception_type();
    if (current != nullptr) return type_name(*current);
  }
  return std::string(unknown_error_class);
}

}  // namespace flowproof::harness
