#include "validate/validate.h"

#include <gtest/gtest.h>

namespace wirefeed::stages {

namespace {
core::Status check(core::Article& a) {
  ValidateStage stage;
  core::Scratch scratch;
  return stage.process(a, scratch);
}
}  // namespace

TEST(Validate, needs_body_or_html_with_text) {
  core::Article a;
  EXPECT_EQ(check(a).code(), core::Code::kMissingBody);
  a.has_body = true;
  a.body = " \n ";
  EXPECT_EQ(check(a).code(), core::Code::kMissingBody);
  a.has_html = true;
  a.html = "<p>Story</p>";
  EXPECT_TRUE(check(a).ok());
}

TEST(Validate, id_must_be_a_usable_kafka_key) {
  core::Article a;
  a.has_body = true;
  a.body = "text";
  a.id = std::string(ValidateStage::kMaxIdBytes + 1, 'x');
  EXPECT_EQ(check(a).code(), core::Code::kInvalidField);
  a.id = "bad\nid";
  EXPECT_EQ(check(a).code(), core::Code::kInvalidField);
  a.id = "wikinews-en-b815ca1248d4";
  EXPECT_TRUE(check(a).ok());
}

}  // namespace wirefeed::stages
