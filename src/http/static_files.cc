#include "http/static_files.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "domain/messages.h"
#include "domain/safe_path.h"
#include "http/responses.h"
#include "http/security_headers.h"

namespace examphoto {
namespace {

namespace http = boost::beast::http;

std::string ContentType(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".yaml", "application/yaml; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      // The camera guidance's face models: WebAssembly (compiled while it streams in only
      // with this type) and TF.js weight files.
      {".wasm", "application/wasm"},
      {".bin", "application/octet-stream"}};
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

std::string Gzip(const std::string& input) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&stream, input.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream.avail_in = static_cast<uInt>(input.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return {};
  out.resize(stream.total_out);
  return out;
}

bool IsCompressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type.find("json") != std::string::npos ||
         type.find("svg") != std::string::npos || type.find("yaml") != std::string::npos ||
         type == "application/wasm";
}

}  // namespace

Result<WebOptions> WebOptions::FromConfig(const ConfigSection& section,
                                          const std::filesystem::path& share_dir) {
  std::string root = (share_dir / "web").string();
  std::string office_root = (share_dir / "office").string();
  for (const Status& read :
       {section.Read("root", root), section.Read("office_root", office_root)}) {
    if (!read.ok()) return read.error();
  }
  return WebOptions{root, office_root};
}

StaticFiles::StaticFiles(std::filesystem::path root, std::string prefix)
    : root_(std::move(root)), prefix_(std::move(prefix)) {
  std::error_code ec;
  real_root_ = std::filesystem::weakly_canonical(std::filesystem::absolute(root_, ec), ec);
  if (ec) real_root_ = root_;
}

std::optional<std::filesystem::path> StaticFiles::Resolve(std::string_view url_path) const {
  // The URL path after the prefix starts with exactly one '/'; everything after it must be a
  // plain relative path ("//etc/passwd", "/%2e%2e/x" and "/a\\b" are refused here).
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  if (!IsSafeRelativePath(url_path.substr(1))) return std::nullopt;
  // Then the real path, symlinks resolved, must still be inside the real root: a symlink in
  // the web root that points elsewhere is not followed out of it.
  std::error_code ec;
  std::filesystem::path real =
      std::filesystem::canonical(real_root_ / std::string(url_path.substr(1)), ec);
  if (ec) return std::nullopt;
  auto [root_end, real_it] =
      std::mismatch(real_root_.begin(), real_root_.end(), real.begin(), real.end());
  if (root_end != real_root_.end()) return std::nullopt;
  return real;
}

bool StaticFiles::Available() const { return std::filesystem::exists(root_ / "index.html"); }

const StaticFiles::CachedFile* StaticFiles::Load(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return nullptr;
  const auto modified = std::filesystem::last_write_time(path, ec);
  std::lock_guard lock(mutex_);
  auto it = cache_.find(path.string());
  if (it != cache_.end() && it->second.modified == modified) return &it->second;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream content;
  content << in.rdbuf();
  CachedFile file;
  file.content = std::move(content).str();
  file.content_type = ContentType(path);
  file.modified = modified;
  if (IsCompressible(file.content_type) && file.content.size() > 512) {
    file.gzipped = Gzip(file.content);
    if (file.gzipped.size() >= file.content.size()) file.gzipped.clear();
  }
  return &(cache_[path.string()] = std::move(file));
}

HttpResponse StaticFiles::Serve(RequestContext& context) {
  const auto method = context.request.method();
  if (method != http::verb::get && method != http::verb::head) {
    HttpResponse response =
        ErrorResponse(context, MakeError(ErrorKind::kInvalidInput, "request.method_not_allowed"));
    response.result(http::status::method_not_allowed);
    return response;
  }
  std::string relative(context.path.substr(std::min(prefix_.size(), context.path.size())));
  if (relative.empty() || relative.back() == '/')
    relative += (relative.empty() ? "/" : "") + std::string("index.html");
  if (relative.front() != '/' || !IsSafeRelativePath(std::string_view(relative).substr(1)))
    return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
  const std::optional<std::filesystem::path> path = Resolve(relative);
  const CachedFile* file = path ? Load(*path) : nullptr;
  bool is_index = relative == "/index.html";
  if (!file && !std::filesystem::path(relative).has_extension()) {
    const auto index = Resolve("/index.html");  // a client-side route
    if (index) file = Load(*index);
    is_index = true;
  }
  if (!file) return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));

  HttpResponse response{http::status::ok, context.request.version()};
  response.set(http::field::content_type, file->content_type);
  response.set(http::field::cache_control, relative.rfind("/assets/", 0) == 0
                                               ? "public, max-age=31536000, immutable"
                                               : (is_index ? "no-cache" : "public, max-age=3600"));
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Content-Security-Policy", AppContentSecurityPolicy());
  response.set(http::field::vary, "Accept-Encoding");
  auto accept = context.request.find(http::field::accept_encoding);
  const bool gzip_ok =
      accept != context.request.end() && accept->value().find("gzip") != std::string_view::npos;
  if (gzip_ok && !file->gzipped.empty()) {
    response.set(http::field::content_encoding, "gzip");
    response.body() = file->gzipped;
  } else {
    response.body() = file->content;
  }
  response.prepare_payload();
  return response;
}

}  // namespace examphoto
