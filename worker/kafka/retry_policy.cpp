#include "wirefeed/kafka/retry_policy.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace wirefeed::kafka {

RetryPolicy::RetryPolicy(const Limits& limits, Now now, Sleep sleep)
    : limits_(limits),
      now_(std::move(now)),
      sleep_(std::move(sleep)),
      backoff_(limits.first_backoff) {
  if (limits_.time_limit) deadline_ = now_() + *limits_.time_limit;
}

void RetryPolicy::real_sleep(Clock::duration d) { std::this_thread::sleep_for(d); }

RetryPolicy::Action RetryPolicy::after_error(ErrorClass error) const {
  const Action run_out = limits_.in_transaction ? Action::kAbort : Action::kGiveUp;
  switch (error) {
    case ErrorClass::kFatal:
      return Action::kGiveUp;
    case ErrorClass::kAbortable:
      return run_out;
    case ErrorClass::kPermanent:
      if (!limits_.retry_permanent) return Action::kGiveUp;
      break;
    case ErrorClass::kRetriable:
      break;
  }
  if (limits_.max_attempts > 0 && attempt_ >= limits_.max_attempts) return run_out;
  if (deadline_ && now_() + backoff_ > *deadline_) return run_out;
  return Action::kRetry;
}

void RetryPolicy::back_off() {
  sleep_(backoff_);
  backoff_ = std::min(backoff_ * 2, limits_.max_backoff);
  ++attempt_;
}

bool RetryPolicy::redo() {
  if (attempt_ >= limits_.max_redo_attempts) return false;
  ++attempt_;
  return true;
}

RetryPolicy::Limits commit_retry_limits(std::chrono::milliseconds shutdown_deadline) {
  RetryPolicy::Limits limits;
  limits.first_backoff = std::chrono::milliseconds(100);
  limits.max_backoff = std::chrono::seconds(1);
  limits.time_limit =
      std::min<std::chrono::milliseconds>(shutdown_deadline, std::chrono::seconds(10));
  limits.max_redo_attempts = 3;
  return limits;
}

RetryPolicy::Limits transaction_retry_limits() {
  RetryPolicy::Limits limits;
  limits.first_backoff = std::chrono::milliseconds(100);
  limits.max_backoff = std::chrono::seconds(2);
  limits.max_attempts = 5;
  limits.retry_permanent = true;
  limits.in_transaction = true;
  return limits;
}

}  // namespace wirefeed::kafka
