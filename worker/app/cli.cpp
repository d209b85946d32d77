// Helpers shared by the subcommands (cli.h).
#include "cli.h"

namespace wirefeed::app {

long long parse_count(const std::string& command, const std::string& option,
                      const std::string& text, long long min_value) {
  try {
    std::size_t used = 0;
    long long v = std::stoll(text, &used);
    if (used == text.size() && v >= min_value) return v;
  } catch (...) {
  }
  throw UsageError(command + ": " + option + " expects an integer >= " + std::to_string(min_value) +
                   ", got '" + text + "'");
}

namespace {
std::string g_program_path = "wirefeed";
}  // namespace

std::string program_path() { return g_program_path; }
void set_program_path(std::string path) { g_program_path = std::move(path); }

}  // namespace wirefeed::app
