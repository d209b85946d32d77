#include "wirefeed/core/batch_executor.h"

namespace wirefeed::core {

BatchExecutor::BatchExecutor(const Pipeline& pipeline, std::size_t threads) : pipeline_(pipeline) {
  if (threads == 0) threads = 1;
  for (std::size_t i = 0; i < threads; ++i) {
    states_.push_back(std::make_unique<Pipeline::ThreadState>(pipeline_));
  }
  for (std::size_t i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

BatchExecutor::~BatchExecutor() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void BatchExecutor::drain(std::size_t thread_index) {
  Pipeline::ThreadState& state = *states_[thread_index];
  for (;;) {
    std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= count_) return;
    (*results_)[i] = pipeline_.run((*articles_)[i], state);
  }
}

void BatchExecutor::work(std::size_t thread_index) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      start_cv_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    drain(thread_index);
    {
      std::lock_guard lock(mu_);
      if (--busy_ == 0) done_cv_.notify_one();
    }
  }
}

void BatchExecutor::run(std::vector<Article>& articles, std::vector<RunResult>& results,
                        std::size_t count) {
  if (results.size() < count) results.resize(count);
  articles_ = &articles;
  results_ = &results;
  count_ = count;
  next_.store(0, std::memory_order_relaxed);
  // Small batches are not worth waking the pool for.
  if (workers_.empty() || count < 2) {
    drain(0);
    return;
  }
  {
    std::lock_guard lock(mu_);
    busy_ = workers_.size();
    ++generation_;
  }
  start_cv_.notify_all();
  drain(0);
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return busy_ == 0; });
}

}  // namespace wirefeed::core
