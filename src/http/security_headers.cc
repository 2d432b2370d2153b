#include "http/security_headers.h"

namespace examphoto {
namespace {

namespace http = boost::beast::http;

// JSON, images and files for download: nothing in them may run, load or be framed.
constexpr std::string_view kApiPolicy =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

// The apps: Vite's build has no inline script. 'wasm-unsafe-eval' lets the in-browser face
// detector compile its WebAssembly (it allows no JavaScript eval); blob: and data: cover the
// camera's captured frames and previews; inline styles are what Vue and the UI libraries set
// on elements (they cannot run script).
constexpr std::string_view kAppPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "connect-src 'self'; worker-src 'self' blob:; font-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void SetIfMissing(HttpResponse& response, std::string_view name, std::string_view value) {
  if (response.find(name) == response.end()) response.set(name, value);
}

}  // namespace

std::string_view AppContentSecurityPolicy() { return kAppPolicy; }

void AddSecurityHeaders(HttpResponse& response) {
  SetIfMissing(response, "Content-Security-Policy", kApiPolicy);
  SetIfMissing(response, "X-Frame-Options", "DENY");
  SetIfMissing(response, "X-Content-Type-Options", "nosniff");
  SetIfMissing(response, "Referrer-Policy", "no-referrer");
  SetIfMissing(response, "Permissions-Policy",
               "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), "
               "interest-cohort=()");
  SetIfMissing(response, "Cross-Origin-Opener-Policy", "same-origin");
  SetIfMissing(response, "Cross-Origin-Resource-Policy", "same-origin");
}

}  // namespace examphoto
