// The CLI's shared parts: how a subcommand is declared (CLI11), usage errors, and
// the older argument reader (Args) that commands not yet declared with CLI11 use.
//
// Adding a command: write cmd_<name>.cpp with
//   Runner declare_<name>(CLI::App& sub)
// which sets sub's help text (sub.description(kHelp): `--help` prints it as is),
// declares its options bound to state the returned Runner owns, and returns the
// Runner; then add one line to the table in main.cpp (and one to its usage text).
// A command written against Args instead -- int cmd_<name>(Args) -- plugs in with
// add_args_command() in main.cpp: CLI11 hands it every argument after its name,
// --help included, unparsed.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::app {

// Wrong usage: one clear line on stderr, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Runs a parsed subcommand; returns the process exit code. It may throw
// UsageError (exit 2), config::ConfigError or another exception (exit 1).
using Runner = std::function<int()>;

Runner declare_run(CLI::App& sub);
Runner declare_enrich(CLI::App& sub);
Runner declare_replay(CLI::App& sub);
Runner declare_demo(CLI::App& sub);
Runner declare_broker(CLI::App& sub);

// Option helpers shared by the commands.
// A repeatable `--set key=value` config override, collected in order.
CLI::Option* add_sets(CLI::App& sub, std::vector<std::string>& sets);
// Accepts a whole integer >= min_value: "expects an integer >= 1, got 'x'".
CLI::Validator at_least(long long min_value);

class Args;

// The command table and the parse: `wirefeed <command> [options]`. Build one in
// main(), add every command, then run(). Not thread-safe; lives for main().
//
// Exit codes it decides itself: 0 after --help (the command's help text, or the
// usage for `wirefeed --help`); 2 for wrong usage, with one line on stderr naming
// the command: a missing or unknown command, an unknown option, a missing or bad
// value, a UsageError from the command. Otherwise the command's own code; a
// config::ConfigError or any other exception escaping it prints one line, exit 1.
class Cli {
 public:
  explicit Cli(std::string usage);
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  // A command declared with CLI11 (see the top of this file).
  void add(const std::string& name, const std::string& summary,
           const std::function<Runner(CLI::App&)>& declare);
  // A command that reads its own arguments with Args.
  void add_args_command(const std::string& name, const std::string& summary,
                        std::function<int(Args)> run);

  int run(int argc, const char* const* argv);

 private:
  CLI::App root_;
  std::vector<std::pair<CLI::App*, Runner>> runners_;
};

// A forward-only reader over a subcommand's arguments, for commands written
// before the CLI11 declarations (see add_args_command in main.cpp).
class Args {
 public:
  Args(std::string command, std::vector<std::string> args)
      : command_(std::move(command)), args_(std::move(args)) {}
  bool done() const { return i_ >= args_.size(); }
  const std::string& peek() const { return args_[i_]; }
  std::string next() { return args_[i_++]; }
  // The value of the option just read ("--x VALUE" or "--x=VALUE").
  std::string value(const std::string& option) {
    if (done()) throw UsageError(command_ + ": option " + option + " needs a value");
    return next();
  }
  // Splits "--x=VALUE" into name and value; returns nullopt if no '='.
  static std::optional<std::pair<std::string, std::string>> split_eq(const std::string& arg) {
    auto eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string::npos) return std::nullopt;
    return std::make_pair(arg.substr(0, eq), arg.substr(eq + 1));
  }
  [[noreturn]] void unknown(const std::string& arg) const {
    throw UsageError(command_ + ": unknown argument '" + arg + "' (see wirefeed " + command_ +
                     " --help)");
  }
  const std::string& command() const { return command_; }

 private:
  std::string command_;
  std::vector<std::string> args_;
  std::size_t i_ = 0;
};

long long parse_count(const std::string& command, const std::string& option,
                      const std::string& text, long long min_value);

int cmd_redrive(Args args);
int cmd_eval(Args args);
int cmd_train(Args args);

// The path this binary was started as (argv[0]), for commands the CLI suggests.
std::string program_path();
void set_program_path(std::string path);

// The embedded sample corpus (data/samples), compiled into the binary.
std::string_view sample_articles_jsonl();
std::string_view sample_seed_text();

}  // namespace wirefeed::app
