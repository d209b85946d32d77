#include "quotes/quotes.h"

#include <gtest/gtest.h>

#include "resources/resources.h"
#include "segment/segment.h"
#include "test_support.h"

namespace wirefeed::stages {

namespace {
// "quote start… | speaker | mention | verb" per quote.
std::vector<std::string> quotes(std::string_view text) {
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  segment_text(text, tokens, sentences, paragraphs);
  std::vector<std::string> out;
  for (const auto& q : find_quotes(text, tokens, sentences)) {
    std::string quoted(text.substr(q.begin, std::min<std::uint32_t>(q.end - q.begin, 24)));
    out.push_back(quoted + (q.partial ? " (partial)" : "") + " | " + q.speaker + " | " +
                  std::string(text.substr(q.mention_begin, q.mention_end - q.mention_begin)) +
                  " | " + std::string(q.verb));
  }
  return out;
}
using V = std::vector<std::string>;
}  // namespace

TEST(Quotes, seed_article_gold) {
  auto e = testing::enrich(testing::read_file(testing::source_path("data/samples/seed.txt")));
  ASSERT_TRUE(e.result.ok());
  EXPECT_EQ(quotes(e.article.text),
            (V{"We are at a moment of cr | senior administration official | a senior "
               "administration official | told",
               // "the official" refers back to the senior administration official.
               "We continue to be gravel | senior administration official | the official | said",
               "for there to be real pro (partial) | senior administration official | they | added",
               "reiterated the United St (partial) | Ned Price | State Department spokesman Ned "
               "Price | said"}));
  std::string json = testing::enrichment(e.article, "quotes");
  EXPECT_NE(json.find(R"("speaker":"Ned Price","speaker_mention":"State Department spokesman )"
                      R"(Ned Price")"),
            std::string::npos)
      << json;
}

TEST(Quotes, attribution_patterns) {
  EXPECT_EQ(quotes("\xE2\x80\x9CWe will rebuild the town,\xE2\x80\x9D said Mayor Ann Lee, "
                   "standing by the river."),
            (V{"We will rebuild the town | Ann Lee | Mayor Ann Lee | said"}));
  EXPECT_EQ(quotes("Prime Minister Boris Johnson said: \"We must get Brexit done now.\""),
            (V{"We must get Brexit done  | Boris Johnson | Prime Minister Boris Johnson | said"}));
  EXPECT_EQ(quotes("The storm was \"the worst in a century,\" according to the Met Office."),
            (V{"the worst in a century, (partial) | Met Office | the Met Office | according to"}));
  EXPECT_EQ(quotes("\xE2\x80\x9CThe deal is done,\xE2\x80\x9D Jennifer Lu of the Coalition told "
                   "reporters."),
            (V{"The deal is done, | Jennifer Lu | Jennifer Lu of the Coalition | told"}));
}

TEST(Quotes, pronouns_and_descriptions_resolve_to_earlier_speakers) {
  EXPECT_EQ(quotes("\xE2\x80\x9CPrices will rise again,\xE2\x80\x9D Chancellor Olaf Scholz said. "
                   "\xE2\x80\x9CWe are ready for it,\xE2\x80\x9D he added.\n\n"
                   "\xE2\x80\x9CThe plan is sound,\xE2\x80\x9D a senior official said. "
                   "\xE2\x80\x9CIt will work,\xE2\x80\x9D the official added."),
            (V{"Prices will rise again, | Olaf Scholz | Chancellor Olaf Scholz | said",
               "We are ready for it, | Olaf Scholz | he | added",
               "The plan is sound, | senior official | a senior official | said",
               "It will work, | senior official | the official | added"}));
}

TEST(Quotes, a_pronoun_finds_the_subject_of_an_earlier_reporting_verb) {
  // "he" after a fronted phrase is the subject; its antecedent is the name that
  // last reported something, even in a sentence without a quote.
  EXPECT_EQ(quotes("Fritz Henderson stated that the process would be quick. Speaking to the "
                   "public he said, \"We will do it right.\""),
            (V{"We will do it right. | Fritz Henderson | he | said"}));
  // Through an apposition: "Alan Mulally, the chief executive, commented".
  EXPECT_EQ(quotes("Alan Mulally, the chief executive, commented on the profits. \"It was a "
                   "pivotal year for us,\" he said."),
            (V{"It was a pivotal year fo | Alan Mulally | he | said"}));
}

TEST(Quotes, the_speaker_is_not_the_reported_clause_or_a_coordinated_title) {
  // "“…” claimed that X …": X is what was claimed, not who claimed it.
  EXPECT_EQ(quotes("An insider \"with direct knowledge of the matter\" claimed that the "
                   "executive had been ousted."),
            (V{"with direct knowledge of (partial) |  |  | claimed"}));
  // The name before "president and CEO of …", with or without the comma.
  EXPECT_EQ(quotes("Scott Carson, president and CEO of Boeing Commercial Airplanes said, \"This "
                   "has been a wonderful day.\""),
            (V{"This has been a wonderfu | Scott Carson | Scott Carson | said"}));
  EXPECT_EQ(quotes("Art Levinson, chairman of Genentech and a member of the board, adds, \"Steve "
                   "will continue to serve Apple.\""),
            (V{"Steve will continue to s | Art Levinson | Art Levinson | adds"}));
  // Auxiliaries and adverbs belong to the verb: "had already stated".
  EXPECT_EQ(quotes("The government had already stated that it had \"no real interest in "
                   "running the business\"."),
            (V{"no real interest in runn (partial) | government | The government | had already "
               "stated"}));
}

TEST(Quotes, marks_around_an_attribution_are_no_quote) {
  // Speech does not end in a colon: "“Mayor Ann Lee said:” “…”" (broken
  // marks) is one quote, and its speaker is found in the words before it.
  EXPECT_EQ(quotes("\"Mayor Ann Lee said on Saturday:\" \"We will rebuild the whole town.\""),
            (V{"We will rebuild the whol | Ann Lee | Mayor Ann Lee | said"}));
}

TEST(Quotes, multi_paragraph_quotes_and_continuing_speakers) {
  // News style: the quote reopens at each paragraph and closes at the last.
  EXPECT_EQ(
      quotes("Lee said: \xE2\x80\x9CThe first part of the answer.\n\n"
             "\xE2\x80\x9CThe second part of it.\xE2\x80\x9D\n\n"
             "\xE2\x80\x9C"
             "And a third paragraph here.\xE2\x80\x9D"),
      (V{"The first part of the an | Lee | Lee | said", "And a third paragraph he | Lee |  | "}));
}

TEST(Quotes, scare_quotes_and_unattributed_quotes) {
  EXPECT_EQ(quotes("The so-called \"peace plan\" failed."), V{});
  EXPECT_EQ(quotes("\xE2\x80\x9CNo comment at all today.\xE2\x80\x9D"),
            (V{"No comment at all today. |  |  | "}));
}

TEST(Quotes, hostile_punctuation_does_not_break_it) {
  EXPECT_EQ(quotes("\xE2\x80\x9C\xE2\x80\x9C\xE2\x80\x9D\" \" \"\xE2\x80\x9D\xE2\x80\x9C"), V{});
  EXPECT_EQ(quotes("He said \"unclosed quote runs to the end"), V{});
}

TEST(Quotes, the_list_is_capped_at_max_items_and_the_cut_recorded) {
  core::Article a;
  a.text =
      "\"We will win this one,\" Lee said. \"We will win the next,\" Lee said. "
      "\"We will win them all,\" Lee said.";
  segment_text(a.text, a.tokens, a.sentences, a.paragraphs);
  a.segmented = true;
  core::Scratch scratch;
  ASSERT_TRUE(QuotesStage(2).process(a, scratch).ok());
  std::string json = testing::enrichment(a, "quotes");
  EXPECT_NE(json.find("win the next"), std::string::npos) << json;
  EXPECT_EQ(json.find("win them all"), std::string::npos) << json;
  ASSERT_EQ(a.truncations.size(), 1u);
  EXPECT_EQ(a.truncations[0].list, "quotes");
  EXPECT_EQ(a.truncations[0].cut, 1u);

  core::Article b;
  b.text = a.text;
  segment_text(b.text, b.tokens, b.sentences, b.paragraphs);
  b.segmented = true;
  ASSERT_TRUE(QuotesStage().process(b, scratch).ok());
  EXPECT_NE(testing::enrichment(b, "quotes").find("win them all"), std::string::npos);
  EXPECT_TRUE(b.truncations.empty());
}

namespace {
// "quote start… | speaker | mention | verb" per quote of a committed MEANTIME
// sample (CC BY 4.0, data/NOTICE), through the default pipeline.
std::vector<std::string> sample_quotes(std::string_view id) {
  for (const auto& line :
       testing::read_lines(testing::source_path("data/samples/articles.jsonl"))) {
    if (line.find("\"id\":\"" + std::string(id) + "\"") == std::string::npos) continue;
    auto e = testing::enrich(line);
    EXPECT_TRUE(e.result.ok());
    std::vector<std::string> out;
    std::string json = testing::enrichment(e.article, "quotes");
    // One line per quote from the JSON: text start, speaker, mention, verb.
    auto field = [&](std::size_t from, std::string_view key) {
      std::size_t at = json.find("\"" + std::string(key) + "\":", from);
      if (at == std::string::npos) return std::string();
      at += key.size() + 3;
      if (json.compare(at, 4, "null") == 0) return std::string();
      std::size_t end = json.find('"', at + 1);
      return json.substr(at + 1, end - at - 1);
    };
    for (std::size_t at = json.find("{\"text\":"); at != std::string::npos;
         at = json.find("{\"text\":", at + 1)) {
      std::string text = field(at, "text");
      // 24 bytes, cut back to a whole UTF-8 character.
      std::size_t cut = std::min<std::size_t>(text.size(), 24);
      while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      out.push_back(text.substr(0, cut) + " | " + field(at, "speaker") + " | " +
                    field(at, "speaker_mention") + " | " + field(at, "verb"));
    }
    return out;
  }
  ADD_FAILURE() << "no sample " << id;
  return {};
}
}  // namespace

// MEANTIME gm-125796 ("Chrysler files for bankruptcy; Fiat to take a stake"):
// the same quotes and speakers in the English original and its translations.
TEST(QuotesLanguages, spanish_gold_speakers_titles_and_a_subject_after_the_quote) {
  auto q = sample_quotes("meantime-es-gm-125796");
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q[2], "Es una colaboración que | Obama | el presidente americano Obama | dijo");
  // "…", dice Merkle, "…": the second part goes on with Merkle.
  EXPECT_EQ(q[4], "La historia nos muestra  | Merkle | Merkle | dice");
  EXPECT_EQ(q[5], "a pesar de lo bien que l | Merkle | Merkle | dice");
  // "…", ha dicho un alto cargo: the compound verb and a description.
  EXPECT_EQ(q[0], "Esperamos que sea muy co | alto cargo | un alto cargo | ha dicho");
}

TEST(QuotesLanguages, italian_gold_compound_verbs_and_speakers) {
  auto q = sample_quotes("meantime-it-gm-125796");
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q[2],
            "Si tratta di una partner | Obama | il presidente americano Obama | ha dichiarato");
  EXPECT_EQ(q[4], "La storia insegna che le | Merkle | Merkle | ha ribadito");
  // "Whitey MacDonald, presidente di Local 1520, sindacato canadese …, ha
  // dichiarato:": the name before two appositions.
  auto ford = sample_quotes("meantime-it-gm-31706");
  ASSERT_GE(ford.size(), 3u);
  EXPECT_EQ(ford[1],
            "Qui c'è moltissima rabb | Whitey MacDonald | Whitey MacDonald | ha dichiarato");
}

TEST(QuotesLanguages, dutch_gold_speaker_after_the_verb_and_pronoun) {
  auto q = sample_quotes("meantime-nl-gm-31706");
  ASSERT_GE(q.size(), 2u);
  EXPECT_EQ(q[1], "de fabriek in St. Thomas | DesRoiser | DesRoiser | zei");
  // "…", zei hij: the previous speaker.
  auto gm = sample_quotes("meantime-nl-gm-125796");
  ASSERT_GE(gm.size(), 5u);
  EXPECT_EQ(gm[4].substr(gm[4].find(" | ")), " | hooggeplaatste overheidsambtenaar | hij | zei");
}

TEST(QuotesLanguages, marks_verbs_and_pronouns_from_the_language_file) {
  QuoteWords nl(resources::find("lang/nl/quotes.tsv"), resources::find("lang/nl/stopwords.txt"));
  EXPECT_TRUE(nl.verbs.contains("aldus"));
  EXPECT_TRUE(nl.pronouns.contains("hij"));
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  // „…”, aldus X: low-high marks and a verb before the speaker.
  const std::string text =
      "\xE2\x80\x9E"
      "De fabriek gaat dicht in maart,\xE2\x80\x9D aldus Jan de Vries. "
      "'Er is geen andere keus meer,' zei hij.";
  segment_text(text, tokens, sentences, paragraphs);
  auto quotes = find_quotes(text, tokens, sentences, nl);
  ASSERT_EQ(quotes.size(), 2u);
  EXPECT_EQ(quotes[0].speaker, "Jan de Vries");
  EXPECT_EQ(quotes[0].verb, "aldus");
  EXPECT_EQ(quotes[1].speaker, "Jan de Vries");  // 'hij' refers back
  // An apostrophe inside a word or Dutch 's is no quotation mark.
  const std::string clitic = "De auto 's van Ford en Opel's fabriek draaien nog steeds door.";
  segment_text(clitic, tokens, sentences, paragraphs);
  EXPECT_TRUE(find_quotes(clitic, tokens, sentences, nl).empty());
  EXPECT_THROW(QuoteWords("verb\tzei\n"), std::runtime_error);                // no mark
  EXPECT_THROW(QuoteWords("mark\t\"\t\"\nnoun\tzei\n"), std::runtime_error);  // unknown kind
}

TEST(QuotesLanguages, spanish_subject_dropped_and_according_to) {
  QuoteWords es(resources::find("lang/es/quotes.tsv"), resources::find("lang/es/stopwords.txt"));
  std::vector<core::Token> tokens;
  std::vector<core::Sentence> sentences;
  std::uint32_t paragraphs = 0;
  const std::string text =
      "\xC2\xAB"
      "Vamos a reconstruir el pueblo\xC2\xBB, dijo la alcaldesa Ana López. "
      "\xC2\xAB"
      "No hay otra salida posible\xC2\xBB, añadió. "
      "Según Pedro Ruiz, \"la obra costará dos años\".";
  segment_text(text, tokens, sentences, paragraphs);
  auto quotes = find_quotes(text, tokens, sentences, es);
  ASSERT_EQ(quotes.size(), 3u);
  EXPECT_EQ(quotes[0].speaker, "Ana López");
  EXPECT_EQ(quotes[1].speaker, "Ana López");  // "añadió": the subject is dropped
  EXPECT_EQ(quotes[1].verb, "añadió");
  EXPECT_EQ(quotes[2].speaker, "Pedro Ruiz");
  EXPECT_EQ(quotes[2].verb, "según");
}

}  // namespace wirefeed::stages
