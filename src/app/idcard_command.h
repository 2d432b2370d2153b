// `examphoto idcard ...`: reads a photo of an ID card from the command line (idcard area).
// Prints JSON on stdout; the exit code carries the verdict (0 read and valid, 1 read with
// problems, 2 unusable input).
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {

void AddIdCardCommands(CLI::App& app, int& exit_code);

}  // namespace examphoto
