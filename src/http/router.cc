#include "http/router.h"

#include <stdexcept>

namespace examphoto {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string UrlDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string_view RequestContext::Param(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

std::string RequestContext::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    size_t eq = pair.find('=');
    if (UrlDecode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return {};
}

Router::Router(const AccessControl* access, ErrorResponder on_error)
    : access_(access), on_error_(std::move(on_error)) {}

void Router::Add(boost::beast::http::verb method, const std::string& pattern, Handler handler,
                 RouteOptions options) {
  if (options.access != Access::kPublic) {
    if (!access_ || !on_error_) {
      throw std::logic_error("route " + pattern + " needs a caller but the router checks none");
    }
    handler = [access = access_, on_error = on_error_, required = options.access,
               inner = std::move(handler)](RequestContext& context) {
      auto caller = access->Check(context, required);
      if (!caller.ok()) return on_error(context, caller.error());
      context.caller = std::move(*caller);
      return inner(context);
    };
  }
  Route route{method, pattern, {}, std::move(handler), options};
  for (auto part : SplitPath(pattern)) route.segments.emplace_back(part);
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(boost::beast::http::verb method, std::string_view path) const {
  Match match;
  // Each route has one spelling: "/metrics/" or "//metrics" is not "/metrics" (a proxy rule
  // written for "/metrics" must not be walked around with a slash; security finding F11).
  if (path.empty() || path.front() != '/' || path.find("//") != std::string_view::npos ||
      (path.size() > 1 && path.back() == '/')) {
    return match;
  }
  const auto parts = SplitPath(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& segment = route.segments[i];
      if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
        params.emplace_back(segment.substr(1, segment.size() - 2), UrlDecode(parts[i]));
      } else {
        ok = segment == parts[i];
      }
    }
    if (!ok) continue;
    if (route.method != method && !(method == boost::beast::http::verb::head &&
                                    route.method == boost::beast::http::verb::get)) {
      match.path_known = true;
      if (!match.allowed.empty()) match.allowed += ", ";
      match.allowed += std::string(boost::beast::http::to_string(route.method));
      continue;
    }
    match.route = &route;
    match.params = std::move(params);
    return match;
  }
  return match;
}

}  // namespace examphoto
