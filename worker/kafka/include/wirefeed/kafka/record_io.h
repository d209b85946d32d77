// Whole-topic produce and read helpers for the demo, tests and benchmarks (not
// the worker's hot path).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::kafka {

struct Record {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::optional<std::string> key;  // nullopt: a null key
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
  std::int64_t timestamp_ms = -1;

  // The last header with `name`, if any.
  std::optional<std::string> header(std::string_view name) const;
};

// Produces every record (key, value, headers; partition -1 lets the partitioner choose)
// and waits until all are acknowledged. Throws std::runtime_error on any failure.
void produce_records(const std::string& bootstrap, const std::string& topic,
                     const std::vector<Record>& records,
                     std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Reads a topic from the beginning to its current end, every partition, without
// joining a group. Throws std::runtime_error on timeout or error.
std::vector<Record> read_records(const std::string& bootstrap, const std::string& topic,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30));

// The committed offset of `group` for each partition of `topic` (-1: none).
std::map<std::int32_t, std::int64_t> committed_offsets(const std::string& bootstrap,
                                                       const std::string& group,
                                                       const std::string& topic);

}  // namespace wirefeed::kafka
