// `examphoto face ...`: face comparison from the command line (identity area). Prints JSON
// on stdout; the exit code carries the verdict (0 same person, 1 different, 2 error).
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {

void AddFaceCommands(CLI::App& app, int& exit_code);

}  // namespace examphoto
