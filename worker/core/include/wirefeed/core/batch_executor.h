// Runs the pipeline over a batch of articles on a fixed pool of threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include "wirefeed/core/pipeline.h"

namespace wirefeed::core {

// A fixed thread pool specialised for one job shape: "run the pipeline on
// articles[0..n)". The calling thread works too, so threads == 1 means no extra
// threads. Results land in `results[i]` for `articles[i]`, so the caller can emit
// them in input order (which keeps per-partition order).
//
// Not thread-safe: one caller drives run(); the pool threads live as long as the
// executor. The pipeline must outlive it.
class BatchExecutor {
 public:
  BatchExecutor(const Pipeline& pipeline, std::size_t threads);
  ~BatchExecutor();
  BatchExecutor(const BatchExecutor&) = delete;
  BatchExecutor& operator=(const BatchExecutor&) = delete;

  void run(std::vector<Article>& articles, std::vector<RunResult>& results, std::size_t count);
  std::size_t threads() const { return states_.size(); }

 private:
  void work(std::size_t thread_index);
  void drain(std::size_t thread_index);

  const Pipeline& pipeline_;
  std::vector<std::unique_ptr<Pipeline::ThreadState>> states_;
  std::vector<std::thread> workers_;

  std::mutex mu_;
  std::condition_variable start_cv_;
  std::condition_variable done_cv_;
  std::uint64_t generation_ = 0;
  std::size_t busy_ = 0;
  bool stopping_ = false;

  // The current job; valid while a generation runs.
  std::vector<Article>* articles_ = nullptr;
  std::vector<RunResult>* results_ = nullptr;
  std::size_t count_ = 0;
  std::atomic<std::size_t> next_{0};
};

}  // namespace wirefeed::core
