#include "wirefeed/kafka/handles.h"

#include <gtest/gtest.h>

#include "wirefeed/kafka/worker.h"

namespace wirefeed::kafka {

TEST(MakeConf, rejects_an_unknown_property_naming_it) {
  try {
    make_conf({{"bootstrap.servers", "x:9092"}, {"fetch.max.wait.ms", "5"}}, "consumer");
    FAIL();
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("kafka consumer property 'fetch.max.wait.ms'"), std::string::npos) << what;
  }
  EXPECT_THROW(make_conf({{"linger.ms", "soon"}}, "producer"), std::invalid_argument);
}

TEST(MakeConf, accepts_sasl_scram_and_ssl_properties) {
  EXPECT_NO_THROW(make_conf({{"security.protocol", "SASL_SSL"},
                             {"sasl.mechanism", "SCRAM-SHA-512"},
                             {"sasl.username", "u"},
                             {"sasl.password", "p"}},
                            "consumer"));
}

TEST(EffectiveProperties, consumer_offsets_are_stored_by_wirefeed_only) {
  auto p = effective_consumer_properties({{"group.id", "g"}}, true);
  EXPECT_EQ(p.at("enable.auto.offset.store"), "false");
  EXPECT_EQ(p.at("partition.assignment.strategy"), "cooperative-sticky");
  EXPECT_EQ(p.at("statistics.interval.ms"), "5000");
  EXPECT_EQ(p.at("fetch.error.backoff.ms"), "100");  // fast resume after a pause
  EXPECT_THROW(effective_consumer_properties({{"enable.auto.offset.store", "true"}}, true),
               std::invalid_argument);
  EXPECT_EQ(p.at("enable.auto.commit"), "true");  // of stored (delivered) offsets only
  EXPECT_EQ(p.at("auto.commit.interval.ms"), "1000");
  EXPECT_THROW(effective_consumer_properties({{"enable.auto.commit", "false"}}, true),
               std::invalid_argument);
  // A user's choice wins where wirefeed only has a default.
  auto q = effective_consumer_properties({{"partition.assignment.strategy", "range"}}, false);
  EXPECT_EQ(q.at("partition.assignment.strategy"), "range");
  EXPECT_FALSE(q.contains("statistics.interval.ms"));
}

TEST(EffectiveProperties, producer_is_idempotent_by_default) {
  EXPECT_EQ(effective_producer_properties({}).at("enable.idempotence"), "true");
}

TEST(EffectiveProperties, exactly_once_commits_through_transactions_only) {
  auto c = effective_consumer_properties({{"group.id", "g"}}, false, /*exactly_once=*/true);
  EXPECT_EQ(c.at("enable.auto.commit"), "false");  // offsets ride in each transaction
  EXPECT_EQ(c.at("isolation.level"), "read_committed");
  EXPECT_FALSE(c.contains("auto.commit.interval.ms"));
  EXPECT_THROW(effective_producer_properties({}, /*exactly_once=*/true), std::invalid_argument);
  auto p = effective_producer_properties({{"transactional.id", "wirefeed-a"}}, true);
  EXPECT_EQ(p.at("transactional.id"), "wirefeed-a");
  EXPECT_EQ(p.at("enable.idempotence"), "true");
  // At-least-once never runs a transactional producer by accident.
  EXPECT_FALSE(
      effective_producer_properties({{"transactional.id", "x"}}).contains("transactional.id"));
}

TEST(Classify, acts_on_classes_not_codes) {
  EXPECT_EQ(classify(nullptr, RD_KAFKA_RESP_ERR__TRANSPORT), ErrorClass::kRetriable);
  EXPECT_EQ(classify(nullptr, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION), ErrorClass::kRetriable);
  EXPECT_EQ(classify(nullptr, RD_KAFKA_RESP_ERR__FATAL), ErrorClass::kFatal);
  EXPECT_EQ(classify(nullptr, RD_KAFKA_RESP_ERR_PRODUCER_FENCED), ErrorClass::kFatal);
  EXPECT_EQ(classify(nullptr, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED),
            ErrorClass::kPermanent);
}

}  // namespace wirefeed::kafka
