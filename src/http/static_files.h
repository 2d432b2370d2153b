// Serves the built web app (web/dist) from a folder: content types by extension, gzip for
// clients that accept it (compressed once and kept in memory), long caching for Vite's
// hashed assets, and index.html for client-side routes. Paths never leave the root.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "http/router.h"

namespace examphoto {

class StaticFiles {
 public:
  // Serves `root` at URL `prefix` ("" for the site root, "/office" for the console).
  explicit StaticFiles(std::filesystem::path root, std::string prefix = "")
      : root_(std::move(root)), prefix_(std::move(prefix)) {}
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

  std::filesystem::path root_;
  std::string prefix_;
  std::mutex mutex_;
  std::map<std::string, CachedFile> cache_;
};

}  // namespace examphoto
