#include "wirefeed/core/json_writer.h"

#include <gtest/gtest.h>

namespace wirefeed::core::json {

TEST(JsonWriter, escapes_quotes_backslashes_and_controls) {
  std::string out;
  append_string(out, "say \"hi\"\\\n\t\x01");
  EXPECT_EQ(out, R"("say \"hi\"\\\n\t\u0001")");
}

TEST(JsonWriter, passes_utf8_through_unchanged) {
  std::string out;
  append_string(out, "Zelensky’s — café");
  EXPECT_EQ(out, "\"Zelensky’s — café\"");
}

TEST(JsonWriter, lossy_replaces_invalid_utf8_with_replacement_character) {
  std::string out;
  append_string_lossy(out,
                      std::string("caf\xE9 \xFF ok \xED\xA0\x80"));  // latin-1, junk, surrogate
  EXPECT_EQ(out, "\"caf\xEF\xBF\xBD \xEF\xBF\xBD ok \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(JsonWriter, numbers_are_locale_free_and_round_trip) {
  std::string out;
  append_int(out, -42);
  out += ' ';
  append_uint(out, 18446744073709551615ull);
  out += ' ';
  append_double(out, 0.1);
  out += ' ';
  append_double(out, 1.0 / 0.0);
  EXPECT_EQ(out, "-42 18446744073709551615 0.1 null");
}

TEST(JsonWriter, doubles_beyond_exact_integers_use_an_exponent) {
  // Found by the pipeline fuzzer: "66666666666666666666 troops" made the amounts
  // stage write 66666666666666663936, which simdjson rejects as an integer.
  std::string out;
  append_double(out, 66666666666666666666.0);
  EXPECT_EQ(out, "6.666666666666666e+19");
  out.clear();
  append_double(out, -1e300);
  EXPECT_EQ(out, "-1e+300");
  out.clear();
  append_double(out, 9007199254740991.0);  // 2^53 - 1: still exact, still plain
  EXPECT_EQ(out, "9007199254740991");
}

TEST(JsonWriter, utf8_sequence_length_rejects_overlong_and_truncated) {
  EXPECT_EQ(utf8_sequence_length("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence_length("\xE2\x80", 0), 0u);          // truncated
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x93\xB0", 0), 4u);  // newspaper emoji
}

}  // namespace wirefeed::core::json
