#include "wirefeed/ops/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>

#include "wirefeed/core/json_writer.h"

namespace wirefeed::ops {

namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<bool> g_json{true};

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void append_timestamp(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  out.append(buf, n);
  char frac[8];
  std::snprintf(frac, sizeof frac, ".%03dZ", static_cast<int>(ms % 1000));
  out += frac;
}

}  // namespace

void Log::configure(std::string_view level, std::string_view format) {
  LogLevel l = LogLevel::kInfo;
  if (level == "debug") l = LogLevel::kDebug;
  if (level == "warn") l = LogLevel::kWarn;
  if (level == "error") l = LogLevel::kError;
  g_level = static_cast<int>(l);
  if (format == "json") {
    g_json = true;
  } else if (format == "text") {
    g_json = false;
  } else {
    g_json = !isatty(STDERR_FILENO);
  }
}

bool Log::enabled(LogLevel level) { return static_cast<int>(level) >= g_level.load(); }

std::string Log::format_json(LogLevel level, std::string_view message,
                             std::initializer_list<LogField> fields) {
  std::string line;
  line.reserve(96 + message.size());
  line += "{\"ts\":\"";
  append_timestamp(line);
  line += "\",\"level\":\"";
  line += level_name(level);
  line += "\",\"msg\":";
  core::json::append_string_lossy(line, message);
  for (const auto& [key, value] : fields) {
    line += ',';
    core::json::append_string_lossy(line, key);
    line += ':';
    core::json::append_string_lossy(line, value);
  }
  line += "}\n";
  return line;
}

void Log::write(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!enabled(level)) return;
  std::string line;
  if (g_json) {
    line = format_json(level, message, fields);
  } else {
    append_timestamp(line);
    line += ' ';
    for (char c : level_name(level)) line += static_cast<char>(c - 'a' + 'A');
    line += ' ';
    line += message;
    for (const auto& [key, value] : fields) {
      line += ' ';
      line += key;
      line += '=';
      line += value;
    }
    line += '\n';
  }
  // One write per line keeps concurrent lines whole.
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace wirefeed::ops
