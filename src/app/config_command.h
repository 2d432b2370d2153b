// `examphoto config show`: every configuration key with the value in force (file,
// environment, flags, else the component's default), secrets masked; --defaults prints the
// defaults alone, as docs/configuration.md lists them.
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {
void AddConfigCommands(CLI::App& app, int& exit_code);
}  // namespace examphoto
