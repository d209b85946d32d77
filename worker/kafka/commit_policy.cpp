#include "wirefeed/kafka/commit_policy.h"

#include <stdexcept>

namespace wirefeed::kafka {

std::unique_ptr<CommitPolicy> make_commit_policy(WorkerState& state, Consumer& consumer,
                                                 Producer& producer, RecordRouter& router) {
  if (state.options.exactly_once && state.options.replay)
    throw std::invalid_argument("replay runs at-least-once: exactly_once is for `run`");
  if (state.options.replay) return make_replay_checkpoints(state, consumer);
  if (state.options.exactly_once)
    return make_transactional_commits(state, consumer, producer, router);
  return make_at_least_once_commits(state, consumer, router);
}

}  // namespace wirefeed::kafka
