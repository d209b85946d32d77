#include "amounts/amounts.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <stdexcept>

#include "resources/resources.h"
#include "segment/segment.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
// "text | kind value unit ~ | object" per amount.
std::vector<std::string> amounts(std::string_view text) {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  static constexpr const char* kKinds[] = {"count", "money", "percent"};
  std::vector<std::string> out;
  for (const auto& a : find_amounts(text, tokens)) {
    std::ostringstream s;
    s.precision(12);
    s << text.substr(a.begin, a.end - a.begin) << " | " << kKinds[static_cast<int>(a.kind)] << ' '
      << a.value << (a.unit.empty() ? "" : " ") << a.unit << (a.approximate ? " ~" : "") << " | "
      << text.substr(a.object_begin, a.object_end - a.object_begin);
    out.push_back(s.str());
  }
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST(Amounts, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(amounts(e.article.text), (V{"100,000 | count 100000 ~ | Russian troops",
                                        "millions | count 1000000 ~ | defense aid"}));
  std::string json = testing::enrichment(e.article, "amounts");
  EXPECT_NE(json.find(R"({"text":"100,000","begin":846,"end":853,"kind":"count","value":100000,)"
                      R"("unit":null,"approximate":true,"object":"Russian troops",)"
                      R"("object_begin":854,"object_end":868})"),
            std::string::npos)
      << json;
}

TEST(Amounts, money_with_symbols_scales_and_words) {
  EXPECT_EQ(amounts("The U.S. pledged $2.5 billion in military aid, US$3m for schools and "
                    "\xE2\x82\xAC"
                    "1.2bn. He paid 300 pounds."),
            (V{"$2.5 billion | money 2500000000 USD | military aid",
               "US$3m | money 3000000 USD | schools",
               "\xE2\x82\xAC"
               "1.2bn | money 1200000000 EUR | ",
               "300 pounds | money 300 GBP | "}));
}

TEST(Amounts, percentages_and_points) {
  EXPECT_EQ(amounts("Inflation hit 3% and 4.5 per cent, up 0.25 percentage points; 40 percent of "
                    "voters agreed."),
            (V{"3% | percent 3 percent | ", "4.5 per cent | percent 4.5 percent | ",
               "0.25 percentage points | percent 0.25 percentage_points | ",
               "40 percent | percent 40 percent | voters"}));
}

TEST(Amounts, spelled_and_vague_counts) {
  EXPECT_EQ(amounts("Two dozen protesters and twenty-five people marched; thousands of people "
                    "fled and more than 40 workers quit."),
            (V{"Two dozen | count 24 | protesters", "twenty-five | count 25 | people",
               "thousands | count 1000 ~ | people", "40 | count 40 ~ | workers"}));
}

TEST(Amounts, vague_money_and_the_spelled_scaled_sums) {
  // "millions of dollars" is money; "the four billion" is a sum, not "the two".
  EXPECT_EQ(
      amounts("The car made millions of dollars. It asked for more on top of the four "
              "billion it has already received."),
      (V{"millions of dollars | money 1000000 USD ~ | ", "four billion | count 4000000000 | "}));
}

TEST(Amounts, years_days_times_pronouns_are_not_amounts) {
  EXPECT_EQ(amounts("In 2019 the talks began on Dec. 29 at 10:30 p.m. and the two met again. "
                    "One said so."),
            V{});
}

TEST(Amounts, ranges_share_their_unit_and_scale) {
  EXPECT_EQ(amounts("It offered $12-20 million, a 60-80 percent chance."),
            (V{"$12-20 million | money 12000000 USD | ", "$12-20 million | money 20000000 USD | ",
               "60-80 percent | percent 60 percent | ", "60-80 percent | percent 80 percent | "}));
  EXPECT_EQ(amounts("Growth of 10 to 15% and between 200 and 250 million users."),
            (V{"10 | percent 10 percent | ", "15% | percent 15 percent | ",
               "200 | count 200000000 | ", "250 million | count 250000000 | users"}));
  // A change, a score and a model are not ranges.
  EXPECT_EQ(amounts("Jobless claims rose 32,000 to 1.41 million; Arsenal won 3-1."),
            (V{"32,000 | count 32000 | ", "1.41 million | count 1410000 | "}));
}

TEST(Amounts, decimal_commas_sentence_ends_and_dollar_prefixes) {
  EXPECT_EQ(amounts("Shares fell 8,26% to 16,764.09. AU$52.5 million was pledged."),
            (V{"8,26% | percent 8.26 percent | ", "16,764.09 | count 16764.09 | ",
               "AU$52.5 million | money 52500000 AUD | "}));
}

TEST(Amounts, numbers_that_name_are_not_amounts) {
  EXPECT_EQ(amounts("Flight 574 was lost; version 10.4 shipped and the song reached number 13."),
            V{});
}

TEST(Amounts, objects_stay_in_their_sentence_and_paragraph) {
  EXPECT_EQ(amounts("The party won 8 seats\n\nTrudeau said so."), (V{"8 | count 8 | seats"}));
  EXPECT_EQ(amounts("It cost 8 million.\n\nTrudeau said so."), (V{"8 million | count 8000000 | "}));
}

TEST(Amounts, languages_without_amount_words_are_skipped) {
  auto e = testing::enrich(
      R"({"language":"de","body":"Die Regierung hat 2,5 Milliarden Euro für den Wiederaufbau )"
      R"(der Stadt bereitgestellt."})");
  EXPECT_TRUE(testing::enrichment(e.article, "amounts").empty());
}

namespace {
// find_amounts in `code` with its data/lang files, formatted as amounts() does.
std::vector<std::string> language_amounts(std::string_view code, std::string_view text) {
  static const AmountWords es(resources::find("lang/es/amounts.tsv"));
  static const AmountWords it(resources::find("lang/it/amounts.tsv"));
  static const AmountWords nl(resources::find("lang/nl/amounts.tsv"));
  static const DateWords es_dates(resources::find("lang/es/dates.tsv"));
  static const DateWords it_dates(resources::find("lang/it/dates.tsv"));
  static const DateWords nl_dates(resources::find("lang/nl/dates.tsv"));
  const AmountWords& words = code == "es" ? es : code == "it" ? it : nl;
  const DateWords& dates = code == "es" ? es_dates : code == "it" ? it_dates : nl_dates;
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  static constexpr const char* kKinds[] = {"count", "money", "percent"};
  std::vector<std::string> out;
  for (const auto& a : find_amounts(text, tokens, words, &dates)) {
    std::ostringstream s;
    s.precision(12);
    s << text.substr(a.begin, a.end - a.begin) << " | " << kKinds[static_cast<int>(a.kind)] << ' '
      << a.value << (a.unit.empty() ? "" : " ") << a.unit << (a.approximate ? " ~" : "") << " | "
      << text.substr(a.object_begin, a.object_end - a.object_begin);
    out.push_back(s.str());
  }
  return out;
}
}  // namespace

// Sentences of MEANTIME translations of Wikinews (CC BY, data/NOTICE;
// data/samples/articles.jsonl): a decimal comma with a scale word and a currency.
TEST(AmountsLanguages, meantime_gold_decimal_comma_scale_and_currency) {
  EXPECT_EQ(language_amounts("es",
                             "El primer ministro de Australia John Howard y el ministro de "
                             "industria federal Ian MacDonald han anunciado hoy que el "
                             "gobierno federal va a proporcionar a Ford Australia un "
                             "\"paquete de asistencia financiera\" de 52,5 millones de AU$ "
                             "(40,4 millones de US$)."),
            (V{"52,5 millones de AU$ | money 52500000 AUD | ",
               "40,4 millones de US$ | money 40400000 USD | "}));
  EXPECT_EQ(language_amounts("it",
                             "Il mese scorso, GM e Chrysler hanno ricevuto prestiti per un "
                             "valore di 17,4 miliardi di dollari dal governo, dopo "
                             "l'annuncio di imminente fallimento."),
            (V{"17,4 miliardi di dollari | money 17400000000 USD | "}));
  EXPECT_EQ(language_amounts("nl",
                             "De onrustige week begon afgelopen vrijdag met de val van Bear "
                             "Stearns door het volledige verlies van twee grote "
                             "hedgefondsen, die meer dan $1,5 miljard waard waren."),
            (V{"twee | count 2 | grote hedgefondsen", "$1,5 miljard | money 1500000000 USD | "}));
}

TEST(AmountsLanguages, meantime_samples_through_the_stage) {
  for (const auto& line :
       testing::read_lines(testing::source_path("data/samples/articles.jsonl"))) {
    if (line.find("meantime-it-gm-31706") == std::string::npos) continue;
    auto e = testing::enrich(line);
    std::string json = testing::enrichment(e.article, "amounts");
    EXPECT_NE(json.find(R"("text":"1,6 miliardi di dollari",)"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("kind":"money","value":1600000000,"unit":"USD",)"), std::string::npos)
        << json;
    EXPECT_NE(json.find(R"("text":"30.000","begin":)"), std::string::npos) << json;
    return;
  }
  ADD_FAILURE() << "sample meantime-it-gm-31706 not found";
}

TEST(AmountsLanguages, separators_scales_percentages_and_objects) {
  EXPECT_EQ(
      language_amounts("es",
                       "Se construirán 43.000 viviendas con 2.500 millones de euros, "
                       "mil millones de dólares y un 1,5 por ciento más."),
      (V{"43.000 | count 43000 | viviendas", "2.500 millones de euros | money 2500000000 EUR | ",
         "mil millones de dólares | money 1000000000 USD | ",
         "1,5 por ciento | percent 1.5 percent | "}));
  EXPECT_EQ(language_amounts("it",
                             "Sono state evacuate 3.000 persone; il danno supera i 2 "
                             "miliardi di euro, dal 20 al 25 per cento del bilancio."),
            (V{"3.000 | count 3000 | persone", "2 miliardi di euro | money 2000000000 EUR | ",
               "20 | percent 20 percent | ", "25 per cento | percent 25 percent | "}));
  EXPECT_EQ(language_amounts("nl",
                             "Er komen 20.000 woningen bij voor 1,2 miljoen euro, drie "
                             "procent meer dan in 2023."),
            (V{"20.000 | count 20000 | woningen", "1,2 miljoen euro | money 1200000 EUR | ",
               "drie procent | percent 3 percent | "}));
}

TEST(AmountsLanguages, vague_quantities_of_scales_are_one_amount) {
  EXPECT_EQ(language_amounts("es", "Comprará miles de millones de dólares en préstamos."),
            (V{"miles de millones de dólares | money 1000000000 USD ~ | "}));
}

TEST(AmountsLanguages, years_days_and_model_numbers_are_not_amounts) {
  EXPECT_EQ(language_amounts("es", "El 14 de marzo de 2024 se presentó el Boeing 787."), V{});
  EXPECT_EQ(language_amounts("nl", "Op 14 maart 2024 om 10:30 sprak de minister."), V{});
}

TEST(AmountsLanguages, times_of_day_and_numbers_that_name_are_not_amounts) {
  EXPECT_EQ(language_amounts("nl", "GM vroeg om 12.00 uur een faillissement aan voor vlucht 447."),
            V{});
  EXPECT_EQ(language_amounts("es", "A las 16.15 horas despegó el vuelo 574, versión 10.4."), V{});
  EXPECT_EQ(language_amounts("it", "Alle 12.00 è partito il volo 200."), V{});
  // A number of hours is a count.
  EXPECT_EQ(language_amounts("nl", "Er past 75 uur aan video op."), (V{"75 | count 75 | uur"}));
}

TEST(AmountsLanguages, ranges_share_their_unit_and_scale_but_scores_are_not_ranges) {
  EXPECT_EQ(language_amounts("nl", "Airbus biedt $12 tot 20 miljoen, een kans van 60-80 procent."),
            (V{"$12 | money 12000000 USD | ", "20 miljoen | money 20000000 USD | ",
               "60-80 procent | percent 60 percent | ", "60-80 procent | percent 80 percent | "}));
  EXPECT_EQ(language_amounts("es", "El voto del Senado fue de 52-35."), V{});
}

TEST(AmountsLanguages, an_elided_preposition_before_the_number_is_left_out) {
  EXPECT_EQ(language_amounts("it", "Il Nasdaq è salito dell'11,81% e GM ha perso l'1,6%."),
            (V{"11,81% | percent 11.81 percent | ", "1,6% | percent 1.6 percent | "}));
}

TEST(AmountsLanguages, every_language_file_parses_and_a_bad_line_fails) {
  for (std::string_view code : {"es", "it", "nl"}) {
    AmountWords words(resources::find("lang/" + std::string(code) + "/amounts.tsv"));
    EXPECT_TRUE(words.decimal_comma) << code;
    EXPECT_FALSE(words.scales.empty()) << code;
  }
  EXPECT_THROW(AmountWords("scale\tmillones\tmany\n"), std::runtime_error);
  EXPECT_THROW(AmountWords("currency\teuros\tEURO\n"), std::runtime_error);
}

// Every key of a word list is found through its pre-filter, a two-word key
// also from its two words.
template <class V>
void expect_every_key_found(const lexical::WordMap<V>& map, std::string_view what) {
  std::string scratch;
  for (const auto& [key, value] : map) {
    EXPECT_EQ(map.lookup(key), &value) << what << ": " << key;
    EXPECT_TRUE(map.filter().may_hold(key)) << what << ": " << key;
    if (std::size_t space = key.find(' '); space != std::string::npos) {
      const std::string_view k(key);
      EXPECT_EQ(map.lookup(k.substr(0, space), k.substr(space + 1), scratch), &value)
          << what << ": " << key;
      EXPECT_EQ(scratch, key);
    }
  }
}

TEST(AmountsLanguages, the_pre_filter_never_turns_away_a_word_of_the_lists) {
  for (std::string_view code : {"es", "it", "nl"}) {
    AmountWords w(resources::find("lang/" + std::string(code) + "/amounts.tsv"));
    for (const auto* map : {&w.scales, &w.vague, &w.numbers}) expect_every_key_found(*map, code);
    expect_every_key_found(w.currencies, code);
    for (const auto* map : {&w.percent, &w.points, &w.links, &w.approx, &w.stop, &w.ranges,
                            &w.labels, &w.time_before, &w.time_after}) {
      expect_every_key_found(*map, code);
    }
  }
}

TEST(WordMap, finds_what_a_map_finds_and_nothing_else) {
  const std::vector<std::string> keys = {"",
                                         "a",
                                         "ab",
                                         "a b",
                                         "por ciento",
                                         "mil",
                                         "mil millones",
                                         "ma\xC3\xB1"
                                         "ana",
                                         "x y",
                                         "esta ma\xC3\xB1"
                                         "ana",
                                         "z"};
  lexical::WordMap<int> map;
  std::map<std::string, int, std::less<>> reference;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    map.emplace(keys[i], static_cast<int>(i));
    reference.emplace(keys[i], static_cast<int>(i));
  }
  EXPECT_FALSE(map.emplace("a", 99));  // the first value stays, as in a std::map
  EXPECT_EQ(*map.lookup("a"), 1);
  EXPECT_EQ(map.size(), reference.size());
  expect_every_key_found(map, "synthetic");
  // Every string of up to three bytes of " abmxyz" alone and as a pair: found
  // exactly when the map has it, with its value. Most leave at the filter.
  const std::string_view alphabet = " abmxyz";
  std::vector<std::string> probes = {""};
  for (int len = 1; len <= 3; ++len) {
    const std::size_t from = probes.size();
    for (std::size_t p = 0; p < from; ++p) {
      if (probes[p].size() + 1 != static_cast<std::size_t>(len)) continue;
      for (char c : alphabet) probes.push_back(probes[p] + c);
    }
  }
  std::size_t passed = 0, absent = 0;
  std::string scratch;
  for (const std::string& a : probes) {
    const auto it = reference.find(a);
    const int* got = map.lookup(a);
    if (it == reference.end()) {
      EXPECT_EQ(got, nullptr) << a;
      ++absent;
      passed += map.filter().may_hold(a);
    } else {
      ASSERT_NE(got, nullptr) << a;
      EXPECT_EQ(*got, it->second) << a;
    }
    for (const std::string& b :
         {std::string(), std::string("b"), std::string("ab"), std::string("millones")}) {
      // The filter reads a pair as the key it would build.
      EXPECT_EQ(map.filter().may_hold(a, b), map.filter().may_hold(a + ' ' + b)) << a << '|' << b;
      const auto pit = reference.find(a + ' ' + b);
      const int* pgot = map.lookup(a, b, scratch);
      if (pit == reference.end()) {
        EXPECT_EQ(pgot, nullptr) << a << '|' << b;
      } else {
        ASSERT_NE(pgot, nullptr) << a << '|' << b;
        EXPECT_EQ(*pgot, pit->second) << a << '|' << b;
      }
    }
  }
  EXPECT_LT(passed * 10, absent);  // the filter turns away at least nine in ten
}

TEST(Amounts, the_list_is_capped_at_max_items_and_the_cut_recorded) {
  core::Article a;
  a.text = "They sold 10 cars, 20 trucks and 30 bikes.";
  segment_text(a.text, a.tokens, a.sentences, a.paragraphs);
  a.segmented = true;
  core::Scratch scratch;
  ASSERT_TRUE(AmountsStage(2).process(a, scratch).ok());
  std::string json = testing::enrichment(a, "amounts");
  EXPECT_NE(json.find(R"("text":"20")"), std::string::npos) << json;
  EXPECT_EQ(json.find(R"("text":"30")"), std::string::npos) << json;
  ASSERT_EQ(a.truncations.size(), 1u);
  EXPECT_EQ(a.truncations[0].list, "amounts");
  EXPECT_EQ(a.truncations[0].cut, 1u);
}

}  // namespace wirefeed::stages
