#include "app/config_command.h"

#include <iostream>
#include <memory>

#include "app/components.h"

extern char** environ;

namespace examphoto {
namespace {

struct ConfigFlags {
  CommonFlags common;
  bool defaults = false;
};

int Show(const ConfigFlags& flags) {
  if (flags.defaults) {
    const ConfigSchema schema = SettingsSchema(InstallLayout::OfThisBinary());
    for (const auto& key : schema.keys()) {
      std::cout << key.name << " = " << key.default_value << "\n";
    }
    return 0;
  }
  const LoadedSettings loaded = LoadSettingsOrExit(flags.common, environ);
  for (const auto& [key, value] : loaded.config.Describe(loaded.schema)) {
    std::cout << key << " = " << value << "\n";
  }
  return 0;
}

}  // namespace

void AddConfigCommands(CLI::App& app, int& exit_code) {
  CLI::App* config = app.add_subcommand("config", "The configuration in force");
  config->require_subcommand(1);
  auto flags = std::make_shared<ConfigFlags>();
  CLI::App* show = config->add_subcommand(
      "show", "Print every key = value in force (secrets as \"(set)\"); exit 2 on a bad config");
  flags->common.AddTo(*show);
  show->add_flag("--defaults", flags->defaults, "Print the defaults instead");
  show->callback([flags, &exit_code] { exit_code = Show(*flags); });
}

}  // namespace examphoto
