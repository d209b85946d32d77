// The command table and the parse (cli.h), on CLI11.
#include "cli.h"

#include "wirefeed/config/config.h"

namespace wirefeed::app {

namespace {

std::string g_program_path = "wirefeed";

// CLI11's messages are one line already; keep it so whatever they hold.
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

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

std::string program_path() { return g_program_path; }
void set_program_path(std::string path) { g_program_path = std::move(path); }

CLI::Option* add_sets(CLI::App& sub, std::vector<std::string>& sets) {
  return sub.add_option("--set", sets, "override one config key (repeatable)")
      ->type_name("key=value")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

CLI::Validator at_least(long long min_value) {
  return CLI::Validator(
      [min_value](std::string& text) -> std::string {
        try {
          std::size_t used = 0;
          long long v = std::stoll(text, &used);
          if (used == text.size() && v >= min_value) return {};
        } catch (...) {
        }
        return "expects an integer >= " + std::to_string(min_value) + ", got '" + text + "'";
      },
      "INT>=" + std::to_string(min_value));
}

Cli::Cli(std::string usage) : root_(std::move(usage), "wirefeed") {
  // --help prints a command's own text (its description) as written: the texts
  // are documentation, kept by hand, and the tests read them.
  root_.formatter_fn(
      [](const CLI::App* app, std::string, CLI::AppFormatMode) { return app->get_description(); });
  root_.require_subcommand(0, 1);
  root_.fallthrough(false);
  // A repeated option keeps its last value, as the hand-written loops did.
  root_.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

void Cli::add(const std::string& name, const std::string& summary,
              const std::function<Runner(CLI::App&)>& declare) {
  CLI::App* sub = root_.add_subcommand(name, summary);
  sub->allow_extras(false);
  runners_.emplace_back(sub, declare(*sub));
}

void Cli::add_args_command(const std::string& name, const std::string& summary,
                           std::function<int(Args)> run) {
  CLI::App* sub = root_.add_subcommand(name, summary);
  // Everything after the name, --help included, goes to the command unparsed.
  sub->set_help_flag();
  sub->prefix_command();
  runners_.emplace_back(sub, [sub, name, run] { return run(Args(name, sub->remaining())); });
}

int Cli::run(int argc, const char* const* argv) {
  if (argc > 0) set_program_path(argv[0]);
  // The command the error is about: the one named on the command line, if any.
  auto command_of = [&]() -> std::string {
    for (const auto& [sub, runner] : runners_) {
      if (sub->parsed()) return sub->get_name();
    }
    return "";
  };
  try {
    root_.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::string command = command_of();
    for (const auto& [sub, runner] : runners_) {
      if (sub->get_name() == command) {
        std::cout << sub->get_description();
        return 0;
      }
    }
    std::cout << root_.get_description();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string command = command_of();
    if (command.empty()) {
      std::string first = argc > 1 ? argv[1] : "";
      if (first.empty()) {
        std::cerr << "wirefeed: missing command (see wirefeed --help)\n";
      } else if (!first.starts_with("-")) {
        std::cerr << "wirefeed: unknown command '" << first << "' (see wirefeed --help)\n";
      } else {
        std::cerr << "wirefeed: " << one_line(e.what()) << " (see wirefeed --help)\n";
      }
    } else {
      std::string message = one_line(e.what());
      // "--config: 1 required TEXT missing": say it as people would.
      if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) &&
          message.find(": ") != std::string::npos && message.ends_with(" missing")) {
        message = message.substr(0, message.find(": ")) + " needs a value";
      }
      std::cerr << "wirefeed " << command << ": " << message << " (see wirefeed " << command
                << " --help)\n";
    }
    return 2;
  }
  Runner* chosen = nullptr;
  for (auto& [sub, runner] : runners_) {
    if (sub->parsed()) chosen = &runner;
  }
  if (!chosen) {
    std::cerr << "wirefeed: missing command (see wirefeed --help)\n";
    return 2;
  }
  try {
    return (*chosen)();
  } catch (const UsageError& e) {
    std::cerr << "wirefeed " << one_line(e.what()) << "\n";
    return 2;
  } catch (const config::ConfigError& e) {
    std::cerr << "wirefeed: " << one_line(e.what()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "wirefeed: " << one_line(e.what()) << "\n";
    return 1;
  }
}

}  // namespace wirefeed::app
