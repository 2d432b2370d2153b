// `examphoto roster import FILE`: the office's roster from the command line.
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {
void AddRosterCommands(CLI::App& app, int& exit_code);
}  // namespace examphoto
