// `examphoto photo ...`: the portrait core from the command line (imaging area).
// `photo check IMAGE` prints one JSON report and writes the finished photo; exit 0 accepted,
// 1 rejected, 2 unusable input or error. `photo batch DIR` audits a folder in parallel into
// a CSV report (what an exam office runs on photos it already holds).
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {

void AddPhotoCommands(CLI::App& app, int& exit_code);

}  // namespace examphoto
