#include "wirefeed/kafka/retry_policy.h"

#include <gtest/gtest.h>

#include <vector>

namespace wirefeed::kafka {
namespace {

using namespace std::chrono_literals;
using Action = RetryPolicy::Action;
using Clock = RetryPolicy::Clock;

// A clock that only moves when the policy sleeps (or a test advances it), and
// a record of every sleep.
struct FakeTime {
  Clock::time_point now = Clock::time_point{} + 1h;
  std::vector<Clock::duration> slept;

  RetryPolicy policy(const RetryPolicy::Limits& limits) {
    return RetryPolicy(
        limits, [this] { return now; },
        [this](Clock::duration d) {
          slept.push_back(d);
          now += d;
        });
  }
};

// Retries `error` until the policy says otherwise; returns what it said.
Action fail_until_it_stops(RetryPolicy& retry, ErrorClass error) {
  for (;;) {
    Action a = retry.after_error(error);
    if (a != Action::kRetry) return a;
    retry.back_off();
  }
}

std::vector<Clock::duration> ms(std::initializer_list<int> values) {
  std::vector<Clock::duration> out;
  for (int v : values) out.push_back(std::chrono::milliseconds(v));
  return out;
}

TEST(RetryPolicy, commit_retries_retriable_errors_doubling_to_a_second_until_ten_seconds) {
  FakeTime t;
  RetryPolicy retry = t.policy(commit_retry_limits(30s));
  EXPECT_EQ(fail_until_it_stops(retry, ErrorClass::kRetriable), Action::kGiveUp);
  // 1.5 s of doubling, then 1 s steps while one more still ends by 10 s.
  EXPECT_EQ(t.slept, ms({100, 200, 400, 800, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}));
  EXPECT_EQ(retry.attempt(), 13);
  EXPECT_EQ(t.now - (Clock::time_point{} + 1h), 9500ms);
}

TEST(RetryPolicy, a_shorter_shutdown_deadline_stops_commit_retries_sooner) {
  FakeTime t;
  RetryPolicy retry = t.policy(commit_retry_limits(1s));
  EXPECT_EQ(fail_until_it_stops(retry, ErrorClass::kRetriable), Action::kGiveUp);
  // 100 + 200 + 400 = 700 ms; 800 more would end at 1.5 s.
  EXPECT_EQ(t.slept, ms({100, 200, 400}));
  EXPECT_EQ(retry.attempt(), 4);
}

TEST(RetryPolicy, time_spent_in_the_attempts_counts_against_the_deadline) {
  FakeTime t;
  RetryPolicy retry = t.policy(commit_retry_limits(30s));
  EXPECT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kRetry);
  retry.back_off();
  t.now += 9800ms;  // a commit that hung almost to the deadline
  EXPECT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kGiveUp);
  // A backoff that ends exactly at the deadline is still taken.
  FakeTime u;
  RetryPolicy edge = u.policy(commit_retry_limits(30s));
  u.now += 9900ms;
  EXPECT_EQ(edge.after_error(ErrorClass::kRetriable), Action::kRetry);
  u.now += 1ms;
  EXPECT_EQ(edge.after_error(ErrorClass::kRetriable), Action::kGiveUp);
}

TEST(RetryPolicy, commit_gives_up_at_once_on_any_error_but_a_retriable_one) {
  for (ErrorClass e : {ErrorClass::kFatal, ErrorClass::kAbortable, ErrorClass::kPermanent}) {
    FakeTime t;
    RetryPolicy retry = t.policy(commit_retry_limits(30s));
    EXPECT_EQ(retry.after_error(e), Action::kGiveUp);
    EXPECT_TRUE(t.slept.empty());
    EXPECT_EQ(retry.attempt(), 1);
  }
}

TEST(RetryPolicy, the_final_commit_is_redone_within_three_attempts_in_all) {
  FakeTime t;
  RetryPolicy retry = t.policy(commit_retry_limits(30s));
  EXPECT_TRUE(retry.redo());
  EXPECT_EQ(retry.attempt(), 2);
  EXPECT_TRUE(retry.redo());
  EXPECT_EQ(retry.attempt(), 3);
  EXPECT_FALSE(retry.redo());
  EXPECT_EQ(retry.attempt(), 3);
  EXPECT_TRUE(t.slept.empty());  // a redo waits for nothing
}

TEST(RetryPolicy, failed_attempts_count_toward_the_redo_cap_and_a_redo_keeps_the_backoff) {
  FakeTime t;
  RetryPolicy retry = t.policy(commit_retry_limits(30s));
  ASSERT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kRetry);
  retry.back_off();
  EXPECT_TRUE(retry.redo());  // attempt 2 succeeded, overtaken: attempt 3
  EXPECT_EQ(retry.backoff(), 200ms);
  EXPECT_FALSE(retry.redo());
}

TEST(RetryPolicy, a_transaction_commit_retries_doubling_and_aborts_on_the_fifth_failure) {
  for (ErrorClass e : {ErrorClass::kRetriable, ErrorClass::kPermanent}) {
    FakeTime t;
    RetryPolicy retry = t.policy(transaction_retry_limits());
    EXPECT_EQ(fail_until_it_stops(retry, e), Action::kAbort);
    EXPECT_EQ(t.slept, ms({100, 200, 400, 800}));
    EXPECT_EQ(retry.attempt(), 5);
  }
}

TEST(RetryPolicy, a_transaction_backoff_is_capped_at_two_seconds) {
  RetryPolicy::Limits limits = transaction_retry_limits();
  limits.max_attempts = 9;
  FakeTime t;
  RetryPolicy retry = t.policy(limits);
  EXPECT_EQ(fail_until_it_stops(retry, ErrorClass::kRetriable), Action::kAbort);
  EXPECT_EQ(t.slept, ms({100, 200, 400, 800, 1600, 2000, 2000, 2000}));
}

TEST(RetryPolicy, a_transaction_aborts_at_once_on_an_abortable_error) {
  FakeTime t;
  RetryPolicy retry = t.policy(transaction_retry_limits());
  ASSERT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kRetry);
  retry.back_off();
  EXPECT_EQ(retry.after_error(ErrorClass::kAbortable), Action::kAbort);
  EXPECT_EQ(t.slept, ms({100}));
}

TEST(RetryPolicy, a_fatal_error_gives_up_at_once_even_in_a_transaction) {
  FakeTime t;
  RetryPolicy retry = t.policy(transaction_retry_limits());
  EXPECT_EQ(retry.after_error(ErrorClass::kFatal), Action::kGiveUp);
  ASSERT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kRetry);
  retry.back_off();
  EXPECT_EQ(retry.after_error(ErrorClass::kFatal), Action::kGiveUp);
  // A transaction is never redone, and has no deadline: only the cap ends it.
  EXPECT_FALSE(retry.redo());
  t.now += 24h;
  EXPECT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kRetry);
}

TEST(RetryPolicy, deciding_changes_nothing_until_back_off) {
  FakeTime t;
  RetryPolicy retry = t.policy(transaction_retry_limits());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(retry.after_error(ErrorClass::kRetriable), Action::kRetry);
  EXPECT_EQ(retry.attempt(), 1);
  EXPECT_EQ(retry.backoff(), 100ms);
  EXPECT_TRUE(t.slept.empty());
}

TEST(RetryPolicy, the_deadline_runs_from_construction_and_aborts_inside_a_transaction) {
  RetryPolicy::Limits limits;
  limits.time_limit = 250ms;
  limits.in_transaction = true;
  FakeTime t;
  RetryPolicy retry = t.policy(limits);
  EXPECT_EQ(fail_until_it_stops(retry, ErrorClass::kRetriable), Action::kAbort);
  EXPECT_EQ(t.slept, ms({100}));  // 200 more would end at 300 ms
}

}  // namespace
}  // namespace wirefeed::kafka
