// The browser security headers on every response (security finding F7). The session tokens
// live in the apps' localStorage/sessionStorage, so a script injected into a page could read
// them: the apps get a strict Content-Security-Policy (scripts only from this origin, no
// inline script, no eval but WebAssembly's), and the API, which a browser never renders, the
// strictest one. No page may be framed (clickjacking), no URL is sent as a referrer, and only
// the camera is allowed, for this origin. HSTS is the TLS terminator's (deploy/nginx).
#pragma once

#include <string_view>

#include "http/router.h"

namespace examphoto {

// The policy for the web apps' files (set by StaticFiles).
std::string_view AppContentSecurityPolicy();

// Adds the headers a response lacks; a Content-Security-Policy already set is kept.
void AddSecurityHeaders(HttpResponse& response);

}  // namespace examphoto
