// `examphoto admin create|list|disable|enable|remove`: office staff accounts (the first
// administrator included).
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {
void AddAdminCommands(CLI::App& app, int& exit_code);
}  // namespace examphoto
