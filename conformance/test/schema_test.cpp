// schema_test.cpp — compile_schema and Schema::validate: every keyword of the plan-format subset,
// its edge cases, and the problems a bad schema reports.
#include "schema.hpp"

#include <flowproof/conformance/plan.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace flowproof::conformance {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Compiles `schema` (JSON text) with `definitions`; fails the test on any problem.
std::shared_ptr<const Schema> compile(const std::string& schema,
                                      const std::string& definitions = "{}") {
  std::vector<PlanProblem> problems;
  auto compiled = compile_schema(nlohmann::json::parse(schema), "/s",
                                 nlohmann::json::parse(definitions), problems);
  for (const auto& p : problems) ADD_FAILURE() << p.pointer << ": " << p.message;
  return compiled;
}

std::vector<PlanProblem> problems_of(const std::string& schema,
                                     const std::string& definitions = "{}") {
  std::vector<PlanProblem> problems;
  auto compiled = compile_schema(nlohmann::json::parse(schema), "/s",
                                 nlohmann::json::parse(definitions), problems);
  EXPECT_EQ(compiled, nullptr);
  return problems;
}

std::vector<SchemaError> errors_of(const Schema& schema, const std::string& value) {
  simdjson::dom::parser parser;
  simdjson::dom::element element = parser.parse(value);
  std::vector<SchemaError> errors;
  const bool valid = schema.validate(element, errors);
  EXPECT_EQ(valid, errors.empty()) << "validate() must return true exactly when no error is added";
  return errors;
}

bool valid(const Schema& schema, const std::string& value) {
  return errors_of(schema, value).empty();
}

struct Case {
  const char* schema;
  const char* value;
  bool valid;
  const char* pointer = "";  // of the first error
  const char* message = "";  // a fragment of the first error's message
};

class SchemaCase : public ::testing::TestWithParam<Case> {};

TEST_P(SchemaCase, Validates) {
  const Case& c = GetParam();
  auto schema = compile(c.schema);
  ASSERT_NE(schema, nullptr);
  auto errors = errors_of(*schema, c.value);
  if (c.valid) {
    EXPECT_THAT(errors, IsEmpty()) << c.schema << " on " << c.value << ": " << errors[0].message;
  } else {
    ASSERT_FALSE(errors.empty()) << c.schema << " should refuse " << c.value;
    EXPECT_EQ(errors[0].pointer, c.pointer);
    EXPECT_THAT(errors[0].message, HasSubstr(c.message));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Keywords, SchemaCase,
    ::testing::Values(
        // type
        Case{R"({"type": "string"})", R"("x")", true},
        Case{R"({"type": "string"})", "3", false, "", "expected string, got integer"},
        Case{R"({"type": ["string", "null"]})", "null", true},
        Case{R"({"type": ["string", "null"]})", "true", false, "",
             "expected null or string, got boolean"},
        Case{R"({"type": "object"})", "[]", false, "", "expected object, got array"},
        Case{R"({"type": "array"})", "[]", true}, Case{R"({"type": "boolean"})", "false", true},
        Case{R"({"type": "number"})", "2.5", true}, Case{R"({"type": "number"})", "2", true},
        // integer: no fractional part, whatever the representation
        Case{R"({"type": "integer"})", "2", true}, Case{R"({"type": "integer"})", "2.0", true},
        Case{R"({"type": "integer"})", "-7", true}, Case{R"({"type": "integer"})", "1e3", true},
        Case{R"({"type": "integer"})", "2.5", false, "", "expected integer, got number"},
        Case{R"({"type": "integer"})", "18446744073709551615", true},
        Case{R"({"type": "integer"})", R"("2")", false, "", "expected integer, got string"},
        // enum and const
        Case{R"({"enum": ["free", "grow"]})", R"("grow")", true},
        Case{R"({"enum": ["free", "grow"]})", R"("build")", false, "",
             R"("build" is not one of ["free","grow"])"},
        Case{R"({"enum": [1, "a", null]})", "1.0", true},
        Case{R"({"enum": [1, "a", null]})", "null", true},
        Case{R"({"enum": [[1, 2], {"a": 1}]})", R"({"a": 1})", true},
        Case{R"({"enum": [[1, 2], {"a": 1}]})", "[1, 2, 3]", false, "", "is not one of"},
        Case{R"({"const": "logout"})", R"("logout")", true},
        Case{R"({"const": "logout"})", R"("login")", false, "",
             R"(expected "logout", got "login")"},
        Case{R"({"const": 5})", "5.0", true},
        // numbers
        Case{R"({"minimum": 1})", "1", true},
        Case{R"({"minimum": 1})", "0", false, "", "0 is less than the minimum 1"},
        Case{R"({"minimum": 1})", "0.5", false, "", "less than the minimum"},
        Case{R"({"maximum": 255})", "256", false, "", "256 is greater than the maximum 255"},
        Case{R"({"maximum": 255})", "255", true},
        Case{R"({"exclusiveMinimum": 0})", "0", false, "", "0 is not greater than 0"},
        Case{R"({"exclusiveMinimum": 0})", "0.001", true},
        Case{R"({"exclusiveMaximum": 10})", "10", false, "", "10 is not less than 10"},
        Case{R"({"exclusiveMaximum": 10})", "9", true},
        Case{R"({"minimum": -1})", "18446744073709551615", true},
        Case{R"({"maximum": 9223372036854775807})", "18446744073709551615", false, "",
             "is greater than the maximum"},
        Case{R"({"maximum": 9223372036854775807})", "9223372036854775807", true},
        Case{R"({"minimum": 0})", "-9223372036854775808", false, "", "less than the minimum"},
        Case{R"({"minimum": 1.5})", "1", false, "", "less than the minimum 1.5"},
        Case{R"({"minimum": 3})", R"("text")", true},  // number keywords ignore strings
        // strings: lengths count code points
        Case{R"({"minLength": 2})", R"("ab")", true},
        Case{R"({"minLength": 2})", R"("a")", false, "", R"("a" is shorter than 2 characters)"},
        Case{R"({"maxLength": 2})", R"("\u00e9\u00e9")", true},
        Case{R"({"maxLength": 2})", "\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\"", true},  // 2 emoji
        Case{R"({"maxLength": 2})", R"("abc")", false, "", "is longer than 2 characters"},
        Case{R"({"minLength": 3})", "\"\xC3\xA9\xC3\xA9\"", false, "", "shorter than 3"},
        Case{R"({"pattern": "^[0-9a-f-]{36}$"})", R"("32833106-536e-45df-80b2-d002cc92d33d")",
             true},
        Case{R"({"pattern": "[0-9]"})", R"("abc1")", true},  // unanchored
        Case{R"({"pattern": "^[0-9]+$"})", R"("12a")", false, "",
             R"("12a" does not match the pattern "^[0-9]+$")"},
        // arrays
        Case{R"({"items": {"type": "string"}})", R"(["a", "b"])", true},
        Case{R"({"items": {"type": "string"}})", R"(["a", 2])", false, "/1",
             "expected string, got integer"},
        Case{R"({"minItems": 2})", "[1]", false, "", "expected at least 2 items, got 1"},
        Case{R"({"maxItems": 1})", "[1, 2]", false, "", "expected at most 1 items, got 2"},
        Case{R"({"minItems": 1, "maxItems": 1})", "[null]", true},
        // objects
        Case{R"({"properties": {"a": {"type": "string"}}})", R"({"a": "x", "b": 1})", true},
        Case{R"({"properties": {"a": {"type": "string"}}})", R"({"a": 1})", false, "/a",
             "expected string, got integer"},
        Case{R"({"required": ["region"]})", R"({"plan": "free"})", false, "",
             R"(missing required property "region")"},
        Case{R"({"required": ["region"], "properties": {"region": {"minLength": 2}}})",
             R"({"region": "eu"})", true},
        Case{R"({"properties": {"a": {}}, "additionalProperties": false})", R"({"a": 1})", true},
        Case{R"({"properties": {"a": {}}, "additionalProperties": false})", R"({"a": 1, "b": 2})",
             false, "/b", R"(property "b" is not allowed)"},
        Case{R"({"required": ["b"], "additionalProperties": false})", R"({"b": 2})", false, "/b",
             "is not allowed"},
        Case{R"({"additionalProperties": {"type": "integer"}})", R"({"x": 1, "y": 2})", true},
        Case{R"({"additionalProperties": {"type": "integer"}})", R"({"x": 1, "y": "2"})", false,
             "/y", "expected integer"},
        Case{R"({"properties": {"a/b": {"properties": {"c~d": {"type": "null"}}}}})",
             R"({"a/b": {"c~d": 1}})", false, "/a~1b/c~0d", "expected null"},
        // anyOf
        Case{R"({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]})", "3", true},
        Case{R"({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]})", R"("s")",
             true},
        Case{R"({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]})", "-1", false,
             "", "matches none of the anyOf alternatives"},
        // boolean schemas, annotations
        Case{"true", "[1]", true}, Case{"false", "1", false, "", "no value is allowed here"},
        Case{R"({"properties": {"gone": false}})", R"({"gone": 1})", false, "/gone",
             "no value is allowed"},
        Case{R"({"title": "t", "description": "d"})", "{}", true},
        Case{"{}", R"({"anything": [1, {"x": null}]})", true}));

TEST(Schema, ReportsEveryErrorWithItsPointer) {
  auto schema = compile(R"({
    "type": "object",
    "properties": {"plan": {"enum": ["free", "grow"]}, "tags": {"items": {"type": "string"}}},
    "required": ["region", "plan"]
  })");
  ASSERT_NE(schema, nullptr);
  auto errors = errors_of(*schema, R"({"plan": "build", "tags": ["a", 1, 2]})");
  EXPECT_THAT(
      errors,
      ElementsAre(Field(&SchemaError::pointer, "/plan"), Field(&SchemaError::pointer, "/tags/1"),
                  Field(&SchemaError::pointer, "/tags/2"),
                  Field(&SchemaError::message, R"(missing required property "region")")));
}

TEST(Schema, ManyRequiredPropertiesAreAllChecked) {
  // More than 64 required names take the slow path; the last one missing must still be found.
  nlohmann::json schema = {{"required", nlohmann::json::array()}};
  nlohmann::json value = nlohmann::json::object();
  for (int i = 0; i < 70; ++i) {
    schema["required"].push_back("p" + std::to_string(i));
    if (i != 69) value["p" + std::to_string(i)] = i;
  }
  auto compiled = compile(schema.dump());
  ASSERT_NE(compiled, nullptr);
  EXPECT_THAT(errors_of(*compiled, value.dump()),
              ElementsAre(Field(&SchemaError::message, R"(missing required property "p69")")));
  value["p69"] = 69;
  EXPECT_TRUE(valid(*compiled, value.dump()));
}

TEST(Schema, DuplicateKeysDoNotHideAMissingRequiredProperty) {
  auto schema = compile(R"({"required": ["a", "b"]})");
  ASSERT_NE(schema, nullptr);
  EXPECT_FALSE(valid(*schema, R"({"a": 1, "a": 2})"));
}

// A `$ref` is a URI fragment: percent-decoded, then read as a JSON pointer (RFC 6901 §6). Before
// the plan review "#/definitions/a%20b" named no definition.
TEST(Schema, RefIsPercentDecodedThenUnescaped) {
  const std::string definitions =
      R"({"a b": {"const": 1}, "a/b": {"const": 2}, "a~b": {"const": 3}, "%": {"const": 4}})";
  for (const auto& [ref, value] :
       std::vector<std::pair<std::string, int>>{{"#/definitions/a%20b", 1},
                                                {"#/definitions/a b", 1},
                                                {"#/definitions/a~1b", 2},
                                                {"#/definitions/a%7E1b", 2},
                                                {"#/definitions/a~0b", 3},
                                                {"#/definitions/%25", 4}}) {
    auto schema = compile(R"({"$ref": )" + nlohmann::json(ref).dump() + "}", definitions);
    ASSERT_NE(schema, nullptr) << ref;
    EXPECT_TRUE(valid(*schema, std::to_string(value))) << ref;
    EXPECT_FALSE(valid(*schema, "0")) << ref;
  }
}

TEST(Schema, RefResolvesDefinitions) {
  const std::string definitions = R"({"plan": {"type": "string", "enum": ["free", "grow"]}})";
  auto schema = compile(R"({"properties": {"plan": {"$ref": "#/definitions/plan"}}})", definitions);
  ASSERT_NE(schema, nullptr);
  EXPECT_TRUE(valid(*schema, R"({"plan": "free"})"));
  auto errors = errors_of(*schema, R"({"plan": "build"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/plan");
  EXPECT_THAT(errors[0].message, HasSubstr(R"("build" is not one of ["free","grow"])"));
}

TEST(Schema, NestedRefsResolve) {
  const std::string definitions = R"({
    "outer": {"properties": {"inner": {"$ref": "#/definitions/inner"}}},
    "inner": {"$ref": "#/definitions/leaf"},
    "leaf": {"type": "integer"}
  })";
  auto schema = compile(R"({"$ref": "#/definitions/outer"})", definitions);
  ASSERT_NE(schema, nullptr);
  EXPECT_TRUE(valid(*schema, R"({"inner": 3})"));
  auto errors = errors_of(*schema, R"({"inner": "3"})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/inner");
}

TEST(Schema, RecursiveRefThroughAPropertyValidatesNestedData) {
  const std::string definitions = R"({
    "tree": {"type": "object", "properties": {"child": {"$ref": "#/definitions/tree"},
             "name": {"type": "string"}}}
  })";
  auto schema = compile(R"({"$ref": "#/definitions/tree"})", definitions);
  ASSERT_NE(schema, nullptr);
  EXPECT_TRUE(valid(*schema, R"({"name": "a", "child": {"child": {"name": "c"}}})"));
  auto errors = errors_of(*schema, R"({"child": {"child": {"name": 3}}})");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/child/child/name");
}

TEST(Schema, RefCycleWithoutDescendingIsAProblemNotAHang) {
  auto problems =
      problems_of(R"({"$ref": "#/definitions/a"})",
                  R"({"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}})");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].message, HasSubstr("cycle"));
  auto self =
      problems_of(R"({"$ref": "#/definitions/self"})",
                  R"({"self": {"anyOf": [{"type": "string"}, {"$ref": "#/definitions/self"}]}})");
  ASSERT_FALSE(self.empty());
  EXPECT_THAT(self[0].message, HasSubstr("cycle"));
}

struct ProblemCase {
  const char* schema;
  const char* pointer;
  const char* message;
};

class SchemaProblem : public ::testing::TestWithParam<ProblemCase> {};

TEST_P(SchemaProblem, IsReportedWithItsPointer) {
  const ProblemCase& c = GetParam();
  auto problems = problems_of(c.schema, R"({"plan": {"type": "string"}})");
  ASSERT_FALSE(problems.empty()) << c.schema;
  EXPECT_EQ(problems[0].pointer, c.pointer) << problems[0].message;
  EXPECT_THAT(problems[0].message, HasSubstr(c.message));
}

INSTANTIATE_TEST_SUITE_P(
    BadSchemas, SchemaProblem,
    ::testing::Values(
        ProblemCase{R"({"enumm": ["a"]})", "/s", R"(unknown keyword "enumm")"},
        ProblemCase{R"({"properties": {"reason": {"type": "string", "enumm": ["a"]}}})",
                    "/s/properties/reason", R"(unknown keyword "enumm")"},
        ProblemCase{R"({"oneOf": [{}]})", "/s", R"(unknown keyword "oneOf")"},
        ProblemCase{R"({"format": "email"})", "/s", R"(unknown keyword "format")"},
        ProblemCase{R"({"type": "text"})", "/s", R"(unknown type "text")"},
        ProblemCase{R"({"type": 3})", "/s", "must be a type name"},
        ProblemCase{R"({"type": []})", "/s", "must not be an empty list"},
        ProblemCase{R"({"minimum": "1"})", "/s", R"("minimum" must be a number)"},
        ProblemCase{R"({"exclusiveMaximum": true})", "/s",
                    R"("exclusiveMaximum" must be a number)"},
        ProblemCase{R"({"minLength": -1})", "/s", R"("minLength" must be a non-negative integer)"},
        ProblemCase{R"({"maxItems": 1.5})", "/s", R"("maxItems" must be a non-negative integer)"},
        ProblemCase{R"({"required": "a"})", "/s", R"("required" must be an array of strings)"},
        ProblemCase{R"({"required": ["a", 1]})", "/s", "must be an array of strings"},
        ProblemCase{R"({"enum": []})", "/s", R"("enum" must be a non-empty array)"},
        ProblemCase{R"({"enum": "a"})", "/s", R"("enum" must be a non-empty array)"},
        ProblemCase{R"({"pattern": "(a"})", "/s", "invalid pattern \"(a\": missing )"},
        ProblemCase{R"({"pattern": 1})", "/s", R"("pattern" must be a string)"},
        ProblemCase{R"({"items": [{}]})", "/s", R"("items" must be a schema)"},
        ProblemCase{R"({"additionalProperties": 1})", "/s",
                    R"("additionalProperties" must be a schema)"},
        ProblemCase{R"({"properties": []})", "/s", R"("properties" must be an object)"},
        ProblemCase{R"({"properties": {"a": 1}})", "/s/properties/a", "a schema must be an object"},
        ProblemCase{R"({"anyOf": []})", "/s", R"("anyOf" must be a non-empty array)"},
        ProblemCase{R"({"anyOf": [{"typo": 1}]})", "/s/anyOf/0", R"(unknown keyword "typo")"},
        ProblemCase{R"({"items": {"enumm": 1}})", "/s/items", R"(unknown keyword "enumm")"},
        ProblemCase{R"({"$ref": "#/definitions/nope"})", "/s",
                    R"($ref "#/definitions/nope" names no definition)"},
        ProblemCase{R"({"$ref": "other.json#/x"})", "/s",
                    R"(must have the form "#/definitions/NAME")"},
        ProblemCase{R"({"$ref": 5})", "/s", R"("$ref" must be a string)"},
        ProblemCase{R"({"title": 5})", "/s", R"("title" must be a string)"},
        // The plan review: JSON Schema 2020-12 says both lists MUST hold unique elements; the
        // problem is at the duplicate.
        ProblemCase{R"({"required": ["a", "b", "a"]})", "/s/required/2",
                    R"("a" is listed twice in "required")"},
        ProblemCase{R"({"type": ["string", "null", "string"]})", "/s/type/2",
                    R"("string" is listed twice in "type")"},
        // `$ref` escapes: only ~0 and ~1, as in the invocation's pointers; %-escapes well formed.
        ProblemCase{R"({"$ref": "#/definitions/plan~2"})", "/s",
                    R"(is not a valid JSON pointer: "~" must be followed by 0 or 1)"},
        ProblemCase{R"({"$ref": "#/definitions/pla~b"})", "/s", "is not a valid JSON pointer"},
        ProblemCase{R"({"$ref": "#/definitions/plan~"})", "/s", "is not a valid JSON pointer"},
        ProblemCase{R"({"$ref": "#/definitions/pl%6"})", "/s",
                    R"(has a malformed percent-escape at "%6")"},
        ProblemCase{R"({"$ref": "#/definitions/pl%zzn"})", "/s",
                    R"(has a malformed percent-escape at "%zz")"},
        ProblemCase{R"({"$ref": "#/definitions%2Fplan%2Fx"})", "/s",
                    R"(must have the form "#/definitions/NAME")"},
        ProblemCase{"3", "/s", "a schema must be an object or a boolean"}));

TEST(Schema, ReportsEveryProblemOfOneSchema) {
  auto problems = problems_of(R"({"enumm": 1, "minimum": "x", "properties": {"a": {"tpye": 1}}})");
  EXPECT_EQ(problems.size(), 3u);
}

TEST(Schema, ProblemsInsideADefinitionPointIntoDefinitions) {
  auto problems = problems_of(R"({"$ref": "#/definitions/bad"})", R"({"bad": {"enumm": [1]}})");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].pointer, "/definitions/bad");
}

}  // namespace
}  // namespace flowproof::conformance

namespace flowproof::conformance {
namespace {

// Walks an object's members through Schema::object_schema() the way the event path does. With
// `quick_passes`, through check(), as the checker's walk does: each member's quick check first
// (a pass is counted), member() for any other value.
bool walk_members(const ObjectSchema& members, const std::string& value,
                  std::vector<SchemaError>& errors, int* quick_passes = nullptr) {
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(value).value();
  const simdjson::dom::object object = root.get_object().value();
  ObjectSchema::State state;
  PatternMemos memos;
  for (auto field : object) {
    const ObjectSchema::Entry entry = members.find(field.key);
    if (quick_passes == nullptr) {
      members.member(state, entry, field.key, field.value, errors, &memos);
      continue;
    }
    const ObjectSchema::Quick quick = members.quick(entry);
    if (quick.usable && quick.passes(field.value)) ++*quick_passes;
    members.check(state, entry, quick, field.key, field.value, errors, &memos);
  }
  return members.finish(state, object, errors);
}

TEST(ObjectSchema, MemberByMemberGivesValidatesAnswerAndErrors) {
  const std::string definitions = R"({"plan": {"enum": ["free", "grow"]},
                                       "app": {"type": "object",
                                               "properties": {"plan": {"$ref": "#/definitions/plan"}},
                                               "required": ["plan"]}})";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"({"type": "object"})", {"{}", R"({"a": 1})"}},
      {R"({"properties": {"a": {"type": "integer", "minimum": 1}, "b": {"pattern": "^x"}},
          "required": ["a", "c"]})",
       {"{}", R"({"a": 1, "c": null})", R"({"a": 0, "b": "y", "d": [1]})",
        R"({"c": 1, "b": "x", "a": 2.0})"}},
      {R"({"type": ["object", "null"], "properties": {"a": {"type": "string"}},
          "additionalProperties": false})",
       {R"({"a": "x"})", R"({"a": "x", "b": 1, "c": 2})", R"({"b": {"c": 1}})"}},
      {R"({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}})",
       {R"({"a": "x", "b": 1})", R"({"a": 1, "b": "y", "c": 3})"}},
      {R"({"$ref": "#/definitions/app"})", {R"({"plan": "free"})", R"({"plan": "build"})", "{}"}},
      {R"({"required": ["only_required"], "additionalProperties": false})",
       {R"({"only_required": 1})", "{}", R"({"x": 1})"}},
  };
  for (const auto& [text, values] : cases) {
    auto schema = compile(text, definitions);
    ASSERT_NE(schema, nullptr) << text;
    const ObjectSchema* members = schema->object_schema();
    ASSERT_NE(members, nullptr) << text << " is a plain object schema";
    for (const std::string& value : values) {
      std::vector<SchemaError> walked;
      const bool walked_ok = walk_members(*members, value, walked);
      simdjson::dom::parser parser;
      std::vector<SchemaError> whole;
      const bool whole_ok = schema->validate(parser.parse(value).value(), whole);
      EXPECT_EQ(walked_ok, whole_ok) << text << " on " << value;
      ASSERT_EQ(walked.size(), whole.size()) << text << " on " << value;
      for (std::size_t i = 0; i < whole.size(); ++i) {
        EXPECT_EQ(walked[i].pointer, whole[i].pointer) << text << " on " << value;
        EXPECT_EQ(walked[i].message, whole[i].message) << text << " on " << value;
      }
    }
  }
}

TEST(ObjectSchema, QuickChecksGiveMembersAnswersAndErrors) {
  const std::string definitions = R"({"plan": {"enum": ["free", "grow"]}})";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      // types, enums of strings (also through $ref), bounds, lengths, simple and RE2 patterns
      {R"({"properties": {"s": {"type": "string"}, "n": {"type": ["string", "null"]},
                          "i": {"type": "integer", "minimum": 1, "maximum": 9},
                          "e": {"enum": ["a", "b"]}, "p": {"$ref": "#/definitions/plan"},
                          "t": {"type": "string", "enum": ["x"]},
                          "l": {"type": "string", "minLength": 2, "maxLength": 3},
                          "id": {"type": "string", "pattern": "^[0-9a-f-]{4}$"},
                          "re": {"type": "string", "pattern": "a|b"}},
          "required": ["s", "i"]})",
       {R"({"s": "x", "i": 1})", R"({"s": 1, "i": 0, "e": "c", "p": "build"})",
        R"({"n": null, "i": 2.0, "e": "a", "p": "grow", "t": "x", "l": "abc", "id": "0a-f"})",
        R"({"i": 10, "t": "y", "l": "a", "id": "0A-f", "re": "c", "s": "x"})",
        R"({"i": 1.5, "l": "abcd", "id": "0a-f0", "re": "xbx", "s": null})", "{}"}},
      // unknown names: allowed, refused, or checked by an additionalProperties schema
      {R"({"properties": {"a": {"type": "string"}}})", {R"({"a": "x", "z": [1, {}]})"}},
      {R"({"properties": {"a": {}}, "additionalProperties": false})",
       {R"({"a": 1})", R"({"a": 1, "z": 2})"}},
      {R"({"properties": {"a": {}}, "additionalProperties": {"type": "integer"}})",
       {R"({"a": "x", "z": 2})", R"({"z": "y"})"}},
      // walked below the value: never quick
      {R"({"properties": {"f": {"type": "array", "items": {"type": "string"}},
                          "o": {"type": "object", "properties": {"k": {"type": "string"}}},
                          "c": {"const": 1}, "any": {"anyOf": [{"type": "string"}]}}})",
       {R"({"f": ["x", 1], "o": {"k": 2}, "c": 2, "any": 3})", R"({"f": [], "o": {}, "c": 1})"}},
      {R"({"required": ["only_required"]})", {R"({"only_required": 1})", "{}"}},
  };
  int quick_passes = 0;
  for (const auto& [text, values] : cases) {
    auto schema = compile(text, definitions);
    ASSERT_NE(schema, nullptr) << text;
    const ObjectSchema* members = schema->object_schema();
    ASSERT_NE(members, nullptr) << text;
    for (const std::string& value : values) {
      std::vector<SchemaError> walked;
      const bool walked_ok = walk_members(*members, value, walked);
      std::vector<SchemaError> quickly;
      const bool quick_ok = walk_members(*members, value, quickly, &quick_passes);
      EXPECT_EQ(quick_ok, walked_ok) << text << " on " << value;
      ASSERT_EQ(quickly.size(), walked.size()) << text << " on " << value;
      for (std::size_t i = 0; i < walked.size(); ++i) {
        EXPECT_EQ(quickly[i].pointer, walked[i].pointer) << text << " on " << value;
        EXPECT_EQ(quickly[i].message, walked[i].message) << text << " on " << value;
      }
    }
  }
  EXPECT_GE(quick_passes, 16);  // the quick checks did answer the members they can
}

TEST(ObjectSchema, QuickChecksOnlyWhereNothingBelowTheValueIsWalked) {
  auto schema = compile(R"({"properties": {"s": {"type": "string"}, "re": {"pattern": "a|b"},
                                           "f": {"items": {}}, "o": {"properties": {}},
                                           "c": {"const": 1}, "x": {"anyOf": [{}]},
                                           "no": false},
                            "additionalProperties": false})");
  ASSERT_NE(schema, nullptr);
  const ObjectSchema* members = schema->object_schema();
  ASSERT_NE(members, nullptr);
  EXPECT_TRUE(members->quick(members->find("s")).usable);
  for (const char* name : {"re", "f", "o", "c", "x", "no"}) {
    EXPECT_FALSE(members->quick(members->find(name)).usable) << name;
  }
  EXPECT_FALSE(members->quick(nullptr).usable);  // additionalProperties: false has a message
}

TEST(ObjectSchema, NamesAndFindCoverPropertiesAndRequired) {
  auto schema = compile(R"({"properties": {"a": {}, "b": {}}, "required": ["a", "c"]})");
  ASSERT_NE(schema, nullptr);
  const ObjectSchema* members = schema->object_schema();
  ASSERT_NE(members, nullptr);
  EXPECT_THAT(members->names(), ElementsAre("a", "b", "c"));
  EXPECT_NE(members->find("c"), nullptr);
  EXPECT_EQ(members->find("d"), nullptr);
}

TEST(ObjectSchema, OnlyPlainObjectRootsAreWalkedMemberByMember) {
  for (const char* text : {R"({"type": "string"})", R"({"enum": [{}]})", R"({"const": {}})",
                           "false", R"({"anyOf": [{"type": "object"}]})",
                           R"({"$ref": "#/definitions/o", "properties": {"a": {}}})"}) {
    auto schema = compile(text, R"({"o": {"type": "object"}})");
    ASSERT_NE(schema, nullptr) << text;
    EXPECT_EQ(schema->object_schema(), nullptr) << text;
  }
}

}  // namespace
}  // namespace flowproof::conformance
