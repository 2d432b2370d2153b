// Where examphoto finds the files it ships (the web apps, the models, the default config
// file): relative to its own binary, never the working directory or the source tree.
// `cmake --install` (CMakeLists.txt) puts the binary in <prefix>/bin, the rest in
// <prefix>/share/examphoto and the config in /etc/examphoto (for prefix /usr); the relative
// paths between them are compiled in, so an install moved as a whole (DESTDIR, a staging
// folder) still finds itself. The build tree mirrors the share folder next to the binary
// (build/src/share/examphoto), so a build runs from anywhere too.
#pragma once

#include <filesystem>

namespace examphoto {

struct InstallLayout {
  std::filesystem::path share_dir;    // web/, office/, models/
  std::filesystem::path config_file;  // read when no --config is given, if it exists

  // The layout of the running binary (/proc/self/exe).
  static InstallLayout OfThisBinary();
  // The layout of a binary at `binary`.
  static InstallLayout For(const std::filesystem::path& binary);
};

}  // namespace examphoto
