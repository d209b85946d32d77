// The one list of built-in stages, and the pipeline factory config uses.
//
// Each registry entry declares what its stage needs from earlier stages, what it
// adds for later ones, and its options with their defaults, so that a pipeline
// is checked once when it is built: a misordered `pipeline.stages` or an unknown
// `stages.<stage>.<option>` fails at start with one line, instead of skipping a
// stage on every record. The table is also what the documentation and --help list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wirefeed/core/pipeline.h"

namespace wirefeed::stages {

// What one stage leaves in the Article for later stages (a bit set).
enum Capability : std::uint32_t {
  kCapText = 1u << 0,            // Article::text, the clean text (normalize)
  kCapSegments = 1u << 1,        // tokens, sentences, paragraphs (segment)
  kCapLanguage = 1u << 2,        // detected_language (language)
  kCapPublicationDay = 1u << 3,  // publication_day (dates)
};
using Capabilities = std::uint32_t;

// "segmented text" for kCapSegments, ...: the words messages use.
std::string_view capability_name(Capability capability);

enum class OptionType : std::uint8_t {
  kCount,   // an integer in [min, max]
  kNumber,  // a real number in [min, max]
  kText,    // any text, or one of `choices` when it has any
};

// One option of a stage: config key `stages.<stage>.<name>`.
struct StageOption {
  std::string_view name;
  OptionType type = OptionType::kCount;
  std::string_view default_value;  // as it would be written in YAML
  std::string_view description;
  double min = 0;
  double max = 0;
  std::vector<std::string_view> choices = {};
};

struct StageInfo {
  std::string_view name;
  std::string_view description;
  Capabilities needs = 0;     // what earlier stages must provide
  Capabilities provides = 0;  // what it adds for later stages
  std::vector<StageOption> options = {};
};

// What build_pipeline() takes from the configuration.
struct StageOptions {
  std::size_t max_message_bytes = 8 * 1024 * 1024;  // limits.max_message_bytes (decode)
  std::size_t max_output_bytes = 2 * 1024 * 1024;   // limits.max_output_bytes (encode)
  // `stages.<stage>.<option>` values as written, keyed "<stage>.<option>"
  // ("summary.sentences" -> "3"). Checked against the stages' declared options.
  std::map<std::string, std::string> settings;
};

// The validated options of one stage, defaults filled in, as its factory sees
// them. Asking for an option the stage did not declare is a programming error
// (std::logic_error), not a configuration one.
class StageSettings {
 public:
  StageSettings(const StageInfo& info, const std::map<std::string, std::string>& settings);
  std::size_t count(std::string_view option) const;
  double number(std::string_view option) const;
  const std::string& text(std::string_view option) const;

 private:
  const std::string& raw(std::string_view option, OptionType type) const;
  const StageInfo* info_;
  std::map<std::string, std::string, std::less<>> values_;
};

// Stages config may enable, disable and order, in their default order. `decode`
// always runs first and `encode` last: they frame the record, so they are not in
// this list (config may name them only in those positions).
const std::vector<StageInfo>& configurable_stages();

// The default `pipeline.stages`: every configurable stage, in order.
std::vector<std::string> default_stage_names();

// Checks `settings` against the stages' declared options (every built-in stage,
// enabled or not, so a key for a stage that is switched off is still checked).
// Throws std::invalid_argument naming the key and the problem.
void check_stage_settings(const std::map<std::string, std::string>& settings);

// Builds decode + `names` + encode. Throws std::invalid_argument naming the
// problem for an unknown or repeated stage, decode/encode out of place, a stage
// listed before one it needs, or a bad stage option.
std::unique_ptr<core::Pipeline> build_pipeline(const std::vector<std::string>& names,
                                               const StageOptions& options,
                                               core::PipelineObserver* observer = nullptr);

}  // namespace wirefeed::stages
