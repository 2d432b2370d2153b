#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace examphoto {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

// A web root with an index, an asset, a symlink that stays inside and one that leads out, next
// to a secret outside the root.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("static-files-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "web" / "assets");
    Write(base_ / "web" / "index.html", "<html>app</html>");
    Write(base_ / "web" / "assets" / "app.js", "console.log(1)");
    Write(base_ / "secret.key", "TOP-SECRET");
    fs::create_symlink(base_ / "secret.key", base_ / "web" / "leak.txt");
    fs::create_directory_symlink(base_, base_ / "web" / "up");
    fs::create_symlink("assets/app.js", base_ / "web" / "inside.js");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }

  HttpResponse Get(StaticFiles& files, std::string target) {
    HttpRequest request{http::verb::get, target, 11};
    RequestContext context{request, "127.0.0.1", target, "", {}};
    return files.Serve(context);
  }

  fs::path base_;
};

TEST_F(StaticFilesTest, ServesFilesAndClientRoutesFromTheRoot) {
  StaticFiles files(base_ / "web");
  EXPECT_EQ(Get(files, "/").body(), "<html>app</html>");
  EXPECT_EQ(Get(files, "/assets/app.js").body(), "console.log(1)");
  EXPECT_EQ(Get(files, "/inside.js").body(), "console.log(1)");  // a symlink that stays inside
  EXPECT_EQ(Get(files, "/photo/result").body(), "<html>app</html>");
  EXPECT_EQ(Get(files, "/missing.js").result(), http::status::not_found);
}

TEST_F(StaticFilesTest, NeverServesAFileOutsideTheRoot) {
  StaticFiles files(base_ / "web");
  const std::string secret = (base_ / "secret.key").string();
  for (const std::string& target : std::vector<std::string>{
           "/" + secret, "//etc/passwd", "//proc/self/environ", "///etc/hostname",
           "/" + secret + "/", "/%2F%2Fetc%2Fpasswd", "/%2e%2e/secret.key", "/..%2Fsecret.key",
           "/../secret.key", "/assets/../../secret.key", "/\\etc\\passwd",
           "/assets\\..\\..\\secret.key", "/leak.txt", "/up/secret.key", "/./index.html",
           "/assets//app.js", std::string("/index.html\0.js", 15), "/a\r\nX-Injected: 1"}) {
    const HttpResponse response = Get(files, target);
    EXPECT_EQ(response.result(), http::status::not_found) << target;
    EXPECT_EQ(response.body().find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_EQ(response.body().find("root:"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, APrefixedAppRefusesTheSameForms) {
  fs::create_directories(base_ / "office");
  Write(base_ / "office" / "index.html", "<html>office</html>");
  StaticFiles office(base_ / "office", "/office");
  EXPECT_EQ(Get(office, "/office/").body(), "<html>office</html>");
  EXPECT_EQ(Get(office, "/office").body(), "<html>office</html>");
  for (const std::string& target : std::vector<std::string>{
           "/office//etc/hostname", "/office//" + (base_ / "secret.key").string(),
           "/office/../secret.key", "/office/%2F%2Fetc/passwd"}) {
    EXPECT_EQ(Get(office, target).result(), http::status::not_found) << target;
  }
}

TEST_F(StaticFilesTest, ARootGivenAsASymlinkStillServesItsOwnFiles) {
  fs::create_directory_symlink(base_ / "web", base_ / "web-link");
  StaticFiles files(base_ / "web-link");
  EXPECT_EQ(Get(files, "/assets/app.js").body(), "console.log(1)");
  EXPECT_EQ(Get(files, "/leak.txt").result(), http::status::not_found);
}

}  // namespace
}  // namespace examphoto
