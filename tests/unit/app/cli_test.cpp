// The command table and parse (cli.cpp): declared commands, Args commands
// plugged in, and the exit codes and one-line errors of wrong usage.
#include "cli.h"

#include <gtest/gtest.h>

namespace wirefeed::app {

namespace {

struct Outcome {
  int code;
  std::string out, err;
};

Outcome run_args(Cli& cli, std::vector<const char*> argv) {
  argv.insert(argv.begin(), "wirefeed");
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  Outcome o;
  o.code = cli.run(static_cast<int>(argv.size()), argv.data());
  o.out = ::testing::internal::GetCapturedStdout();
  o.err = ::testing::internal::GetCapturedStderr();
  return o;
}

// A command with each kind of option, recording what it was given.
struct Seen {
  std::string name;
  long long count = 0;
  bool flag = false;
  std::vector<std::string> sets;
  std::vector<std::string> legacy;
};

void add_commands(Cli& cli, Seen& seen) {
  cli.add("greet", "a test command", [&seen](CLI::App& sub) -> Runner {
    sub.description("usage: wirefeed greet --name N\n");
    sub.add_option("--name", seen.name)->required();
    sub.add_option("--count", seen.count)->check(at_least(1));
    sub.add_flag("--loud", seen.flag);
    add_sets(sub, seen.sets);
    return [] { return 7; };
  });
  cli.add("fail", "throws a usage error", [](CLI::App& sub) -> Runner {
    sub.description("usage: wirefeed fail\n");
    return []() -> int { throw UsageError("fail: that went wrong"); };
  });
  cli.add_args_command("legacy", "reads its own arguments", [&seen](Args args) {
    while (!args.done()) seen.legacy.push_back(args.next());
    return 5;
  });
}

}  // namespace

TEST(CliTable, runs_the_chosen_command_with_its_options_and_returns_its_code) {
  Cli cli("usage: wirefeed <command>\n");
  Seen seen;
  add_commands(cli, seen);
  Outcome o =
      run_args(cli, {"greet", "--name=ada", "--count", "3", "--loud", "--set", "a=1", "--set=b=2"});
  EXPECT_EQ(o.code, 7);
  EXPECT_EQ(seen.name, "ada");
  EXPECT_EQ(seen.count, 3);
  EXPECT_TRUE(seen.flag);
  EXPECT_EQ(seen.sets, (std::vector<std::string>{"a=1", "b=2"}));
}

TEST(CliTable, hands_an_args_command_everything_after_its_name_help_included) {
  Cli cli("usage: wirefeed <command>\n");
  Seen seen;
  add_commands(cli, seen);
  Outcome o = run_args(cli, {"legacy", "sub", "--x=1", "--help", "-v"});
  EXPECT_EQ(o.code, 5);
  EXPECT_EQ(seen.legacy, (std::vector<std::string>{"sub", "--x=1", "--help", "-v"}));
}

TEST(CliTable, help_prints_the_command_text_as_written_and_exits_0) {
  Cli cli("usage: wirefeed <command>\n");
  Seen seen;
  add_commands(cli, seen);
  Outcome o = run_args(cli, {"greet", "--help"});  // before the required --name is checked
  EXPECT_EQ(o.code, 0);
  EXPECT_EQ(o.out, "usage: wirefeed greet --name N\n");
  Outcome top = run_args(cli, {"--help"});
  EXPECT_EQ(top.code, 0);
  EXPECT_EQ(top.out, "usage: wirefeed <command>\n");
}

TEST(CliTable, wrong_usage_exits_2_with_one_line_naming_the_command) {
  Cli cli("usage\n");
  Seen seen;
  add_commands(cli, seen);
  const std::vector<std::pair<std::vector<const char*>, std::string>> cases = {
      {{}, "wirefeed: missing command (see wirefeed --help)\n"},
      {{"nope"}, "wirefeed: unknown command 'nope' (see wirefeed --help)\n"},
      {{"greet"}, "wirefeed greet: --name is required (see wirefeed greet --help)\n"},
      {{"greet", "--name", "x", "--count", "0"},
       "wirefeed greet: --count: expects an integer >= 1, got '0' (see wirefeed greet --help)\n"},
      {{"greet", "--name", "x", "--what"},
       "wirefeed greet: The following argument was not expected: --what (see wirefeed greet "
       "--help)\n"},
      {{"greet", "--name"}, "wirefeed greet: --name needs a value (see wirefeed greet --help)\n"},
      {{"fail"}, "wirefeed fail: that went wrong\n"},
  };
  for (const auto& [argv, expected] : cases) {
    Outcome o = run_args(cli, argv);
    EXPECT_EQ(o.code, 2) << expected;
    EXPECT_EQ(o.err, expected);
    EXPECT_EQ(o.out, "");
  }
}

TEST(CliTable, at_least_accepts_whole_integers_from_its_minimum) {
  CLI::Validator v = at_least(2);
  for (std::string ok : {"2", "30"}) EXPECT_EQ(v(ok), "") << ok;
  for (std::string bad : {"1", "-3", "2.5", "two", "", "3x"}) {
    EXPECT_EQ(v(bad), "expects an integer >= 2, got '" + bad + "'");
  }
}

}  // namespace wirefeed::app
