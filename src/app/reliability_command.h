// Data-care commands (docs/RELIABILITY.md): `examphoto check-data` (consistency check after
// a crash or restore), `examphoto purge` (retention: a season's raw uploads), and
// `examphoto blobs new-key|rotate-key` (encryption keys of the stored images).
#pragma once

#include <CLI/CLI.hpp>

namespace examphoto {
void AddReliabilityCommands(CLI::App& app, int& exit_code);
}  // namespace examphoto
