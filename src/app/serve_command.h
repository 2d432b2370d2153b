// `examphoto serve`: runs the HTTP service.
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {
void AddServeCommands(CLI::App& app, int& exit_code);
}  // namespace examphoto
