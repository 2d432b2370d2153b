// Which relative paths built from outside input (a URL path, a blob key, a file name in an
// export) may be joined to a folder. The rule is syntactic and strict on purpose: a path is
// '/'-separated segments of printable characters, none empty, "." or "..", with no backslash,
// percent sign or colon, and no leading '/'. `std::filesystem::path`'s operator/ replaces the
// left side when the right one is absolute, so "root / '/etc/passwd'" is "/etc/passwd":
// callers check with this before they join, and resolve symlinks after (see StaticFiles).
#pragma once

#include <string_view>

namespace examphoto {

bool IsSafeRelativePath(std::string_view path);

}  // namespace examphoto
