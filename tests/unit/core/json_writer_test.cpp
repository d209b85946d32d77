#include "wirefeed/core/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

namespace wirefeed::core::json {

TEST(JsonWriter, escapes_quotes_backslashes_and_controls) {
  std::string out;
  append_string(out, "say \"hi\"\\\n\t\x01");
  EXPECT_EQ(out, R"("say \"hi\"\\\n\t\u0001")");
}

TEST(JsonWriter, every_byte_at_every_offset_is_escaped_as_one_byte_at_a_time_would) {
  // The eight-byte block scan must never skip a byte that needs an escape.
  const auto one_at_a_time = [](std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\' || c < 0x20) {
        std::string probe;
        append_string(probe, std::string(1, static_cast<char>(c)));
        out += probe.substr(1, probe.size() - 2);
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 20; ++at) {
      std::string s(20, 'a');
      s[at] = static_cast<char>(c);
      std::string out;
      append_string(out, s);
      EXPECT_EQ(out, one_at_a_time(s)) << c << " at " << at;
    }
  }
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

TEST(JsonWriter, whole_doubles_can_be_written_as_integers) {
  std::string out;
  for (double v :
       {100000.0, -3.0, -0.0, 999999999999999.0, 2.5, 1e15, -1e15, 1.0 / 0.0, std::nan("")}) {
    append_double_whole_as_int(out, v);
    out += ' ';
  }
  EXPECT_EQ(out, "100000 -3 0 999999999999999 2.5 1e+15 -1e+15 null null ");
}

TEST(JsonWriter, utf8_sequence_length_rejects_overlong_and_truncated) {
  EXPECT_EQ(utf8_sequence_length("\xC3\xA9", 0), 2u);
  EXPECT_EQ(utf8_sequence_length("\xC0\xAF", 0), 0u);          // overlong '/'
  EXPECT_EQ(utf8_sequence_length("\xE2\x80", 0), 0u);          // truncated
  EXPECT_EQ(utf8_sequence_length("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
  EXPECT_EQ(utf8_sequence_length("\xF0\x9F\x93\xB0", 0), 4u);  // newspaper emoji
}

}  // namespace wirefeed::core::json

namespace wirefeed::core::json {

TEST(JsonObjectWriter, puts_commas_between_members_and_items_only) {
  std::string out;
  Writer w(out);
  w.begin_object().member("a", 1).member("b", "x");
  w.key("list").begin_array().int64(1).int64(-2).string("three").end_array();
  w.key("empty").begin_array().end_array();
  w.key("nested").begin_object().member("c", true).end_object();
  w.key("none").begin_object().end_object();
  w.end_object();
  EXPECT_EQ(out,
            R"({"a":1,"b":"x","list":[1,-2,"three"],"empty":[],"nested":{"c":true},"none":{}})");
  EXPECT_TRUE(w.complete());
}

TEST(JsonObjectWriter, chooses_the_json_type_from_the_cpp_type) {
  std::string out;
  Writer w(out);
  std::string owned = "s";
  w.begin_object()
      .member("bool", false)
      .member("signed", std::int32_t{-7})
      .member("unsigned", std::size_t{18446744073709551615ull})
      .member("double", 0.25)
      .member("null", nullptr)
      .member("literal", "lit")
      .member("string", owned)
      .member("view", std::string_view("v\"q"))
      .member_or_null("empty", "")
      .end_object();
  EXPECT_EQ(out, R"({"bool":false,"signed":-7,"unsigned":18446744073709551615,"double":0.25,)"
                 R"("null":null,"literal":"lit","string":"s","view":"v\"q","empty":null})");
}

TEST(JsonObjectWriter, writes_the_same_bytes_as_the_append_functions) {
  std::string by_hand = "{\"t\":";
  append_double(by_hand, 1e300);
  by_hand += ",\"n\":";
  append_double(by_hand, std::nan(""));
  by_hand += ",";
  append_span(by_hand, "hello world", 6, 11);
  by_hand += ",";
  append_span(by_hand, "hello", 3, 3, "speaker", "speaker_");
  by_hand += ",\"raw\":[1,2]}";

  std::string out;
  Writer w(out);
  w.begin_object().member("t", 1e300).member("n", std::nan(""));
  w.span("hello world", 6, 11).span("hello", 3, 3, "speaker", "speaker_");
  w.key("raw").raw("[1,2]").end_object();
  EXPECT_EQ(out, by_hand);

  by_hand = "[";
  append_double_whole_as_int(by_hand, 2.5e6);
  by_hand += ',';
  append_double_whole_as_int(by_hand, 0.125);
  by_hand += ']';
  out.clear();
  Writer a(out);
  a.begin_array().number_whole_as_int(2.5e6).number_whole_as_int(0.125).end_array();
  EXPECT_EQ(out, by_hand);
  EXPECT_EQ(out, "[2500000,0.125]");
}

TEST(JsonObjectWriter, appends_to_what_the_string_already_holds) {
  std::string out = "prefix ";
  Writer w(out);
  w.begin_array().begin_object().member("k", 1).end_object().begin_object().end_object();
  w.end_array();
  EXPECT_EQ(out, R"(prefix [{"k":1},{}])");
}

TEST(JsonObjectWriter, tracks_deep_nesting) {
  std::string out, expected;
  Writer w(out);
  for (int i = 0; i < 40; ++i) {
    w.begin_array().int64(i);
    expected += "[" + std::to_string(i) + ",";
  }
  expected.pop_back();
  for (int i = 0; i < 40; ++i) {
    w.end_array();
    expected += "]";
  }
  EXPECT_EQ(out, expected);
  EXPECT_TRUE(w.complete());
}

}  // namespace wirefeed::core::json
