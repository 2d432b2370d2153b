#include "app/layout.h"

#include <system_error>

namespace examphoto {

InstallLayout InstallLayout::For(const std::filesystem::path& binary) {
  const std::filesystem::path bin_dir = binary.parent_path();
  InstallLayout layout;
  layout.share_dir = (bin_dir / EXAMPHOTO_SHARE_FROM_BIN).lexically_normal();
  layout.config_file = (bin_dir / EXAMPHOTO_CONFIG_FROM_BIN / "examphoto.conf").lexically_normal();
  return layout;
}

InstallLayout InstallLayout::OfThisBinary() {
  std::error_code error;
  const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};  // nothing is found: every path must then come from the config
  return For(binary);
}

}  // namespace examphoto
