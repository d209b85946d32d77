#include "dates/dates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "resources/resources.h"
#include "segment/segment.h"
#include "test_support.h"
#include "wirefeed/core/timestamp.h"

namespace wirefeed::stages {

namespace {
// "text -> value" for every mention, resolved against `published` (YYYY-MM-DD).
std::vector<std::string> mentions(std::string_view text, std::string_view published = "") {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  std::optional<std::int32_t> pub;
  if (!published.empty()) pub = *core::parse_timestamp_ms(published) / 86'400'000;
  std::vector<std::string> out;
  for (const auto& m : find_date_mentions(text, tokens, pub)) {
    out.push_back(std::string(text.substr(m.begin, m.end - m.begin)) + " -> " +
                  (m.day ? iso_date(*m.day, m.granularity) : "?"));
  }
  return out;
}

using V = std::vector<std::string>;
}  // namespace

TEST(Dates, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2021-12-29","published_source":"marker",)"))
      << json;
  EXPECT_EQ(mentions(e.article.text, "2021-12-29"),
            (V{"Thursday -> 2021-12-30", "Wednesday -> 2021-12-29", "this month -> 2021-12",
               "Wednesday -> 2021-12-29", "earlier this week -> 2021-W52", "Thursday -> 2021-12-30",
               "Wednesday -> 2021-12-29", "Earlier this month -> 2021-12"}));
}

TEST(Dates, publication_date_from_a_dateline_with_a_year) {
  auto e = testing::enrich(
      R"({"body":"WASHINGTON, Dec. 29, 2021 (Reuters) - The talks resumed on Tuesday."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2021-12-29","published_source":"dateline",)"))
      << json;
  EXPECT_NE(json.find(R"("text":"Tuesday","begin":59,"end":66,"relative":true,)"
                      R"("granularity":"day","value":"2021-12-28"})"),
            std::string::npos)
      << json;
}

// English Wikinews puts the date on the first line (../shared/data/wikinews-en).
TEST(Dates, publication_date_from_a_wikinews_date_line) {
  auto e = testing::enrich(
      R"({"body":"Friday, January 4, 2019\n\nNancy Pelosi was elected Speaker on Thursday."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2019-01-04","published_source":"dateline",)"))
      << json;
  EXPECT_NE(json.find(R"("text":"Thursday")"), std::string::npos);
  EXPECT_NE(json.find(R"("value":"2019-01-03")"), std::string::npos);
}

TEST(Dates, absolute_dates) {
  EXPECT_EQ(mentions("Talks began on 29 December 2021 and ended 2022-01-05.", "2022-01-10"),
            (V{"29 December 2021 -> 2021-12-29", "2022-01-05 -> 2022-01-05"}));
  EXPECT_EQ(mentions("The law passed in January 2019 and took effect in 2020.", "2022-01-10"),
            (V{"January 2019 -> 2019-01", "2020 -> 2020"}));
  // No year: the nearest Dec. 25 to a January publication is last year's.
  EXPECT_EQ(mentions("Sales fell after Dec. 25, analysts said.", "2022-01-03"),
            (V{"Dec. 25 -> 2021-12-25"}));
  EXPECT_EQ(mentions("Voting ends on March 3rd.", "2022-01-03"), (V{"March 3rd -> 2022-03-03"}));
}

TEST(Dates, relative_expressions_against_a_wednesday) {
  // 2021-12-29 was a Wednesday.
  EXPECT_EQ(mentions("He left last Friday and returns next Monday.", "2021-12-29"),
            (V{"last Friday -> 2021-12-24", "next Monday -> 2022-01-03"}));
  EXPECT_EQ(mentions("It rained yesterday, it rains today and tomorrow.", "2021-12-29"),
            (V{"yesterday -> 2021-12-28", "today -> 2021-12-29", "tomorrow -> 2021-12-30"}));
  EXPECT_EQ(mentions("Two days ago and three weeks ago; a year ago.", "2021-12-29"),
            (V{"Two days ago -> 2021-12-27", "three weeks ago -> 2021-W49", "a year ago -> 2020"}));
  EXPECT_EQ(mentions("Prices rose last month and will fall next year.", "2021-12-29"),
            (V{"last month -> 2021-11", "next year -> 2022"}));
  EXPECT_EQ(mentions("A vote is due in March.", "2021-12-29"), (V{"March -> 2022-03"}));
}

TEST(Dates, joined_months_and_years_events_named_by_year_and_this_morning) {
  EXPECT_EQ(mentions("He spoke in March and June, and this morning.", "2021-12-29"),
            (V{"March -> 2022-03", "June -> 2021-06", "this morning -> 2021-12-29"}));
  EXPECT_EQ(
      mentions("Deliveries run between 2009 and 2011, from early 2014 to 2016.", "2021-12-29"),
      (V{"2009 -> 2009", "2011 -> 2011", "2014 -> 2014", "2016 -> 2016"}));
  EXPECT_EQ(mentions("The 1991 agreement and the 2008 Beijing Olympics.", "2021-12-29"),
            (V{"1991 -> 1991", "2008 -> 2008"}));
  // A count after "the" is no year, Theresa May no month, ITV's This Morning no day.
  EXPECT_EQ(mentions("The 2008 votes were counted by Theresa May on This Morning.", "2021-12-29"),
            V{});
}

TEST(Dates, without_a_publication_date_relative_ones_stay_unresolved) {
  EXPECT_EQ(mentions("On Thursday, 29 December 2021 was cold."),
            (V{"Thursday -> ?", "29 December 2021 -> 2021-12-29"}));
}

TEST(Dates, numbers_that_are_not_dates) {
  EXPECT_EQ(mentions("In 2019 votes, 2000 troops and the May report.", "2021-12-29"), V{});
}

TEST(Dates, input_time_zones_keep_the_written_calendar_date) {
  auto e = testing::enrich(
      R"({"published_at":"2021-12-29T23:30:00-05:00","body":"The talks end tomorrow, he said."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2021-12-29T23:30:00-05:00",)")) << json;
  EXPECT_NE(json.find(R"("value":"2021-12-30")"), std::string::npos) << json;
}

namespace {
// The enriched record of the committed sample `id` (data/samples/articles.jsonl).
testing::Enriched sample(std::string_view id) {
  for (const auto& line :
       testing::read_lines(testing::source_path("data/samples/articles.jsonl"))) {
    if (line.find("\"id\": \"" + std::string(id) + "\"") != std::string::npos ||
        line.find("\"id\":\"" + std::string(id) + "\"") != std::string::npos) {
      return testing::enrich(line);
    }
  }
  ADD_FAILURE() << "no sample " << id;
  return {};
}

// "text -> value" for every mention the dates stage wrote for `e`.
std::vector<std::string> stage_mentions(const testing::Enriched& e) {
  std::vector<std::string> out;
  std::string json = testing::enrichment(e.article, "dates");
  for (std::size_t at = json.find("{\"text\":\""); at != std::string::npos;
       at = json.find("{\"text\":\"", at + 1)) {
    std::size_t text_end = json.find('"', at + 9);
    std::size_t value = json.find("\"value\":", text_end);
    std::size_t value_end = json.find('}', value);
    std::string v = json.substr(value + 8, value_end - value - 8);
    if (v.front() == '"') v = v.substr(1, v.size() - 2);
    out.push_back(json.substr(at + 9, text_end - at - 9) + " -> " + v);
  }
  return out;
}

bool has(const V& mentions, const std::string& m) {
  return std::find(mentions.begin(), mentions.end(), m) != mentions.end();
}
}  // namespace

// MEANTIME translations of Wikinews (CC BY, data/NOTICE): relative dates.
TEST(DatesLanguages, meantime_spanish_gold) {
  V m = stage_mentions(sample("meantime-es-gm-31706"));  // published 2006-01-23
  EXPECT_TRUE(has(m, "año pasado -> 2005")) << ::testing::PrintToString(m);
  EXPECT_TRUE(has(m, "Este año -> 2006")) << ::testing::PrintToString(m);
  m = stage_mentions(sample("meantime-es-airbus-1173"));  // Wednesday 2004-11-24
  EXPECT_TRUE(has(m, "semana pasada -> 2004-W47")) << ::testing::PrintToString(m);
  EXPECT_TRUE(has(m, "octubre -> 2004-10")) << ::testing::PrintToString(m);
}

TEST(DatesLanguages, meantime_italian_gold) {
  V m = stage_mentions(sample("meantime-it-gm-31706"));  // 2006-01-23
  EXPECT_TRUE(has(m, "scorso anno -> 2005")) << ::testing::PrintToString(m);
  auto e = testing::enrich(
      R"({"language":"it","published_at":"2009-05-01","body":"Le vendite di quest'anno sono )"
      R"(calate rispetto all'anno scorso, ha detto ieri il direttore."})");
  EXPECT_EQ(stage_mentions(e),
            (V{"quest'anno -> 2009", "all'anno scorso -> 2008", "ieri -> 2009-04-30"}));
  m = stage_mentions(sample("meantime-it-gm-125796"));  // Friday 2009-05-01
  EXPECT_TRUE(has(m, "giovedì -> 2009-04-30")) << ::testing::PrintToString(m);
}

TEST(DatesLanguages, meantime_dutch_gold) {
  V m = stage_mentions(sample("meantime-nl-gm-31706"));  // 2006-01-23
  EXPECT_TRUE(has(m, "vorig jaar -> 2005")) << ::testing::PrintToString(m);
  EXPECT_TRUE(has(m, "dit jaar -> 2006")) << ::testing::PrintToString(m);
  m = stage_mentions(sample("meantime-nl-gm-125796"));  // Friday 2009-05-01
  EXPECT_TRUE(has(m, "dinsdag -> 2009-04-28")) << ::testing::PrintToString(m);
}

TEST(DatesLanguages, a_dateline_gives_the_publication_date) {
  auto e = testing::enrich(
      R"({"language":"es","body":"MADRID, 14 de marzo de 2024 (EFE) - El Gobierno aprobó ayer )"
      R"(el nuevo plan de vivienda, que el Congreso votará la semana próxima."})");
  std::string json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2024-03-14","published_source":"dateline",)"))
      << json;
  V m = stage_mentions(e);
  EXPECT_TRUE(has(m, "ayer -> 2024-03-13")) << json;
  EXPECT_TRUE(has(m, "semana próxima -> 2024-W12")) << json;
  e = testing::enrich(
      R"({"language":"it","body":"ROMA, 6 ott 2023 - Il governo ha approvato martedì scorso )"
      R"(la legge di bilancio, che il Senato esaminerà il mese prossimo."})");
  json = testing::enrichment(e.article, "dates");
  EXPECT_TRUE(json.starts_with(R"({"published":"2023-10-06","published_source":"dateline",)"))
      << json;
  m = stage_mentions(e);
  EXPECT_TRUE(has(m, "martedì scorso -> 2023-10-03")) << json;
  EXPECT_TRUE(has(m, "mese prossimo -> 2023-11")) << json;
}

TEST(DatesLanguages, written_and_numeric_formats_read_day_first) {
  auto e = testing::enrich(
      R"({"language":"nl","published_at":"2024-03-20","body":"Het kabinet besloot op 14 maart )"
      R"(2024 tot nieuwe regels, die op 01/04/2024 ingaan. Gisteren en vorige week werd er )"
      R"(al over gesproken, en afgelopen dinsdag ook."})");
  V m = stage_mentions(e);  // 2024-03-20 is a Wednesday
  EXPECT_EQ(m,
            (V{"14 maart 2024 -> 2024-03-14", "01/04/2024 -> 2024-04-01", "Gisteren -> 2024-03-19",
               "vorige week -> 2024-W11", "afgelopen dinsdag -> 2024-03-19"}));
  e = testing::enrich(
      R"({"language":"es","published_at":"2024-03-20","body":"La ley se aprobó el 14 de marzo )"
      R"(de 2024 y el pasado martes se publicó. Ayer el ministro habló de marzo de 2023."})");
  m = stage_mentions(e);
  EXPECT_EQ(m, (V{"14 de marzo de 2024 -> 2024-03-14", "pasado martes -> 2024-03-19",
                  "Ayer -> 2024-03-19", "marzo de 2023 -> 2023-03"}));
}

TEST(DatesLanguages, two_word_day_phrases_come_before_their_words) {
  // "mañana" alone is tomorrow; "esta mañana" is this morning.
  auto e = testing::enrich(
      R"({"language":"es","published_at":"2024-03-20","body":"El ministro dijo esta mañana )"
      R"(que la ley llegará mañana al Congreso."})");
  EXPECT_EQ(stage_mentions(e), (V{"esta mañana -> 2024-03-20", "mañana -> 2024-03-21"}));
  e = testing::enrich(
      R"({"language":"nl","published_at":"2024-03-20","body":"Het kabinet maakte vanochtend )"
      R"(bekend dat de wet morgen ingaat."})");
  EXPECT_TRUE(has(stage_mentions(e), "vanochtend -> 2024-03-20"));
}

TEST(DatesLanguages, a_language_without_date_words_is_skipped) {
  auto e = testing::enrich(
      R"({"language":"de","body":"Die Regierung hat am Dienstag den Haushalt beschlossen, )"
      R"(wie ein Sprecher in Berlin mitteilte."})");
  EXPECT_TRUE(testing::enrichment(e.article, "dates").empty());
}

TEST(DatesLanguages, every_language_file_parses) {
  for (std::string_view code : {"es", "it", "nl"}) {
    DateWords words(resources::find("lang/" + std::string(code) + "/dates.tsv"));
    EXPECT_EQ(words.months.size() >= 12, true) << code;
    EXPECT_EQ(words.weekdays.size() >= 7, true) << code;
  }
  EXPECT_THROW(DateWords("month\tenero\tone\n"), std::runtime_error);
  EXPECT_THROW(DateWords("colour\trojo\t1\n"), std::runtime_error);
}

TEST(DatesLanguages, the_pre_filter_never_turns_away_a_word_of_the_lists) {
  for (std::string_view code : {"es", "it", "nl"}) {
    DateWords w(resources::find("lang/" + std::string(code) + "/dates.tsv"));
    std::string scratch;
    const auto check = [&](const auto& map) {
      for (const auto& [key, value] : map) {
        EXPECT_EQ(map.lookup(key), &value) << code << ": " << key;
        if (std::size_t space = key.find(' '); space != std::string::npos) {
          const std::string_view k(key);
          EXPECT_EQ(map.lookup(k.substr(0, space), k.substr(space + 1), scratch), &value)
              << code << ": " << key;
        }
      }
    };
    for (const auto* map :
         {&w.months, &w.weekdays, &w.day_offsets, &w.modifiers, &w.short_months, &w.numbers}) {
      check(*map);
    }
    check(w.units);
    for (const auto* map : {&w.articles, &w.before, &w.links, &w.ago_before, &w.ago_after}) {
      check(*map);
    }
    // A month in a dateline in any case, with or without its period.
    for (const auto& [key, month] : w.months) EXPECT_EQ(w.month_in_dateline(key), month) << key;
  }
}

TEST(Dates, the_list_is_capped_at_max_items_and_the_cut_recorded) {
  core::Article a;
  a.text = "On Monday, Tuesday and Wednesday they met.";
  a.published_at = "2021-12-29";
  segment_text(a.text, a.tokens, a.sentences, a.paragraphs);
  a.segmented = true;
  core::Scratch scratch;
  ASSERT_TRUE(DatesStage(2).process(a, scratch).ok());
  std::string json = testing::enrichment(a, "dates");
  EXPECT_NE(json.find("Tuesday"), std::string::npos);
  EXPECT_EQ(json.find("Wednesday"), std::string::npos) << json;
  ASSERT_EQ(a.truncations.size(), 1u);
  EXPECT_EQ(a.truncations[0].list, "dates");
  EXPECT_EQ(a.truncations[0].cut, 1u);
}

}  // namespace wirefeed::stages
