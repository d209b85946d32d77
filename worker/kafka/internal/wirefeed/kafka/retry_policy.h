// The retry decisions of the commit loops, as a value they ask after each
// failed attempt: retry after a backoff (doubling up to a cap), give up, or
// abort the transaction. It counts the attempts and keeps the deadline. The
// clock and the sleep are injected, so the schedules of both commit policies
// (at_least_once_commits.cpp, transactional_commits.cpp) are unit-tested
// without a broker and without waiting.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "wirefeed/kafka/handles.h"

namespace wirefeed::kafka {

class RetryPolicy {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  using Sleep = std::function<void(Clock::duration)>;

  enum class Action {
    kRetry,   // back_off(), then make the same call again
    kGiveUp,  // stop: the operation failed (always so for a fatal error)
    kAbort,   // abort the transaction, so its work is redone
  };

  struct Limits {
    Clock::duration first_backoff = std::chrono::milliseconds(100);
    Clock::duration max_backoff = std::chrono::seconds(1);  // the doubling stops here
    // Attempts at most, the first included (0: no cap).
    int max_attempts = 0;
    // How long retrying may go on, from construction (none: no deadline). A
    // retry whose backoff would end past the deadline is not made.
    std::optional<Clock::duration> time_limit;
    // Errors of no class of their own (kPermanent) are retried like transient
    // ones (true) or end the loop (false).
    bool retry_permanent = false;
    // Inside a transaction, an abortable error and retries run out (the attempt
    // cap, the deadline) abort it (kAbort); outside, they give up (kGiveUp).
    bool in_transaction = false;
    // An attempt that succeeded but must be made again (the final commit's
    // read-back found it overtaken) is, while fewer attempts than this were made
    // in all, failed ones included. 1: never.
    int max_redo_attempts = 1;
  };

  explicit RetryPolicy(const Limits& limits, Now now = Clock::now, Sleep sleep = real_sleep);

  // The attempt under way, from 1.
  int attempt() const { return attempt_; }
  // What the next back_off() waits.
  Clock::duration backoff() const { return backoff_; }

  // The attempt under way failed with an error of class `error`: what to do.
  // Changes nothing; on kRetry the caller logs what it wants, then back_off().
  Action after_error(ErrorClass error) const;
  // Waits the backoff, doubles it (up to the cap), and starts the next attempt.
  void back_off();
  // The attempt under way succeeded but must be made again: true, and the next
  // attempt starts at once (no backoff, no deadline), while the redo cap allows;
  // false when it does not (keep what the attempt did).
  bool redo();

  static void real_sleep(Clock::duration d);

 private:
  Limits limits_;
  Now now_;
  Sleep sleep_;
  std::optional<Clock::time_point> deadline_;
  Clock::duration backoff_;
  int attempt_ = 1;
};

// The at-least-once synchronous commit (revoke, shutdown): retriable errors
// retried with backoff from 100 ms doubling to 1 s for up to 10 s, or the
// shutdown deadline if shorter; any other error gives up; the final commit is
// redone, if overtaken, within 3 attempts in all.
RetryPolicy::Limits commit_retry_limits(std::chrono::milliseconds shutdown_deadline);
// The exactly-once transaction commit: fatal errors give up; abortable ones,
// or a fifth failed attempt, abort; any other is retried with backoff from
// 100 ms doubling to 2 s.
RetryPolicy::Limits transaction_retry_limits();

}  // namespace wirefeed::kafka
