// Serves the built web app (web/dist) from a folder: content types by extension, gzip for
// clients that accept it (compressed once and kept in memory), long caching for Vite's
// hashed assets, and index.html for client-side routes. Paths never leave the root: only
// plain relative URL paths are mapped (IsSafeRelativePath), and the file's real path,
// symlinks resolved, must lie under the root's real path.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "domain/config_section.h"
#include "http/router.h"

namespace examphoto {

// Where the built web apps are (section "web": root, office_root). The defaults are the
// installed apps beside the binary (app/layout.h): <share>/web and <share>/office.
struct WebOptions {
  std::filesystem::path root;         // the candidate app, served at /
  std::filesystem::path office_root;  // the office console, served at /office/
  static Result<WebOptions> FromConfig(const ConfigSection& section,
                                       const std::filesystem::path& share_dir);
};

class StaticFiles {
 public:
  // Serves `root` at URL `prefix` ("" for the site root, "/office" for the console).
  explicit StaticFiles(std::filesystem::path root, std::string prefix = "");
  HttpResponse Serve(RequestContext& context);
  bool Available() const;

 private:
  struct CachedFile {
    std::string content;
    std::string gzipped;  // empty when compression does not pay
    std::string content_type;
    std::filesystem::file_time_type modified;
  };
  const CachedFile* Load(const std::filesystem::path& path);
  // The real file for a URL path below the prefix ("/assets/x.js"), or nothing when the path
  // is not a plain relative one, does not exist, or resolves outside the root.
  std::optional<std::filesystem::path> Resolve(std::string_view url_path) const;

  std::filesystem::path root_;
  std::filesystem::path real_root_;  // absolute, symlinks resolved
  std::string prefix_;
  std::mutex mutex_;
  std::map<std::string, CachedFile> cache_;
};

}  // namespace examphoto
