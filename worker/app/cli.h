// Small helpers shared by the subcommands: argument parsing and usage errors.
#pragma once

#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wirefeed::app {

// Wrong usage: one clear line on stderr, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A forward-only reader over a subcommand's arguments.
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

int cmd_run(Args args);
int cmd_enrich(Args args);
int cmd_demo(Args args);
int cmd_broker(Args args);
int cmd_replay(Args args);
int cmd_eval(Args args);

// The path this binary was started as (argv[0]), for commands the CLI suggests.
std::string program_path();
void set_program_path(std::string path);

// The embedded sample corpus (data/samples), compiled into the binary.
std::string_view sample_articles_jsonl();
std::string_view sample_seed_text();

}  // namespace wirefeed::app
