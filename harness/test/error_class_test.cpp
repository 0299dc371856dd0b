// Tests for error_class(): type names, never messages; nested wrappers; non-std exceptions.
#include <flowproof/harness/error_class.hpp>

#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

namespace flowproof::harness {
namespace {

struct QuotaExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct ConfigError : std::logic_error {
  using std::logic_error::logic_error;
};
struct NotAnException {
  int code = 7;
};

template <class Throw>
std::exception_ptr capture(Throw throw_it) {
  try {
    throw_it();
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

TEST(ErrorClass, StandardTypeIsItsName) {
  EXPECT_EQ(error_class(std::make_exception_ptr(std::out_of_range("index 12 of 3"))),
            "std::out_of_range");
}

TEST(ErrorClass, DynamicTypeNotStaticType) {
  QuotaExceeded quota("user alice@example.com over quota");
  const std::exception& as_base = quota;
  EXPECT_EQ(error_class(as_base), "flowproof::harness::anonymous::QuotaExceeded");
}

TEST(ErrorClass, NeverContainsTheMessage) {
  const std::string secret = "alice@example.com";
  for (const std::exception_ptr& error :
       {std::make_exception_ptr(std::runtime_error(secret)),
        std::make_exception_ptr(QuotaExceeded(secret)), capture([&] {
          try {
            throw std::runtime_error(secret);
          } catch (...) {
            std::throw_with_nested(std::runtime_error(secret));
          }
        })}) {
    const std::string name = error_class(error);
    EXPECT_EQ(name.find("alice"), std::string::npos) << name;
    EXPECT_EQ(name.find('@'), std::string::npos) << name;
  }
}

TEST(ErrorClass, NestedGenericWrapperIsSeenThrough) {
  auto error = capture([] {
    try {
      throw QuotaExceeded("inner");
    } catch (...) {
      std::throw_with_nested(std::runtime_error("while creating"));
    }
  });
  EXPECT_EQ(error_class(error), "flowproof::harness::anonymous::QuotaExceeded");
}

TEST(ErrorClass, NestedSeveralGenericLayers) {
  auto error = capture([] {
    try {
      try {
        throw std::out_of_range("deep");
      } catch (...) {
        std::throw_with_nested(std::logic_error("middle"));
      }
    } catch (...) {
      std::throw_with_nested(std::runtime_error("outer"));
    }
  });
  EXPECT_EQ(error_class(error), "std::out_of_range");
}

TEST(ErrorClass, InformativeWrapperIsKept) {
  auto error = capture([] {
    try {
      throw std::out_of_range("inner");
    } catch (...) {
      std::throw_with_nested(ConfigError("bad profile"));
    }
  });
  EXPECT_EQ(error_class(error), "flowproof::harness::anonymous::ConfigError");
}

TEST(ErrorClass, GenericTypeWithoutNestedIsItself) {
  EXPECT_EQ(error_class(std::make_exception_ptr(std::runtime_error("x"))), "std::runtime_error");
}

TEST(ErrorClass, NonStdExceptionsByType) {
  EXPECT_EQ(error_class(std::make_exception_ptr(NotAnException{})),
            "flowproof::harness::anonymous::NotAnException");
  EXPECT_EQ(error_class(std::make_exception_ptr(42)), "int");
  const std::string text_class = error_class(std::make_exception_ptr(std::string("message text")));
  EXPECT_EQ(text_class.rfind("std::__cxx11::basic_string<char", 0), 0u) << text_class;
  EXPECT_EQ(text_class.find("message"), std::string::npos);
}

TEST(ErrorClass, NullIsUnknown) { EXPECT_EQ(error_class(std::exception_ptr()), "unknown"); }

TEST(ErrorClass, FitsThePlanAlphabet) {
  for (const std::string& name : {error_class(std::make_exception_ptr(std::vector<int>{})),
                                  error_class(std::make_exception_ptr(NotAnException{}))}) {
    EXPECT_LE(name.size(), 128u);
    for (char c : name) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) ||
                  std::string("_.:*<>[]/-").find(c) != std::string::npos)
          << name;
    }
  }
}

TEST(ErrorClass, TypeName) { EXPECT_EQ(type_name(typeid(std::bad_alloc)), "std::bad_alloc"); }

}  // namespace
}  // namespace flowproof::harness
