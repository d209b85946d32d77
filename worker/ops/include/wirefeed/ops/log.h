// Structured logging: JSON lines on stderr, human text when stderr is a TTY.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace wirefeed::ops {

enum class LogLevel { kDebug = 0, kInfo, kWarn, kError };

using LogField = std::pair<std::string_view, std::string>;

// Process-wide logger. Thread-safe: each line is formatted first and written with
// one write(2), so lines from different threads never interleave. Every JSON line
// is valid JSON whatever the message holds (invalid UTF-8 becomes U+FFFD).
class Log {
 public:
  // format: "auto" (text on a TTY, else JSON), "json" or "text".
  static void configure(std::string_view level, std::string_view format);
  static bool enabled(LogLevel level);
  static void write(LogLevel level, std::string_view message,
                    std::initializer_list<LogField> fields = {});
  // Formats one line without writing it (for tests).
  static std::string format_json(LogLevel level, std::string_view message,
                                 std::initializer_list<LogField> fields);
};

inline void log_debug(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log::write(LogLevel::kDebug, m, f);
}
inline void log_info(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log::write(LogLevel::kInfo, m, f);
}
inline void log_warn(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log::write(LogLevel::kWarn, m, f);
}
inline void log_error(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log::write(LogLevel::kError, m, f);
}

}  // namespace wirefeed::ops
