#include "app/admin_command.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "app/components.h"
#include "service/staff_service.h"

extern char** environ;

namespace examphoto {
namespace {

struct AdminFlags {
  CommonFlags common;
  std::string username;
  std::string role = "admin";
};

// The password comes from EXAMPHOTO_ADMIN_PASSWORD (scripts) or is typed without echo;
// never from a flag, which would leave it in the shell history and the process list.
std::string ReadPassword() {
  if (const char* env = std::getenv("EXAMPHOTO_ADMIN_PASSWORD")) return env;
  termios old_mode{};
  const bool tty = ::isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::cerr << "Password (at least 10 characters): " << std::flush;
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
    std::cerr << "\n";
  }
  return password;
}

}  // namespace

void AddAdminCommands(CLI::App& app, int& exit_code) {
  CLI::App* admin = app.add_subcommand("admin", "Exam office staff accounts");
  admin->require_subcommand(1);
  auto flags = std::make_shared<AdminFlags>();
  CLI::App* create = admin->add_subcommand(
      "create", "Create a staff account; password from EXAMPHOTO_ADMIN_PASSWORD or typed");
  flags->common.AddTo(*create);
  create->add_option("--username", flags->username, "Login name")->required();
  create->add_option("--role", flags->role, "admin, operator or viewer")
      ->check(CLI::IsMember({"admin", "operator", "viewer"}));
  create->callback([flags, &exit_code] {
    try {
      Config config = LoadConfigOrExit(flags->common, environ);
      SetUpLogging(config, true);
      auto core = OpenCore(config);
      StaffService staff(*core->database, core->clock);
      Status created = staff.CreateAccount(flags->username, ReadPassword(), flags->role);
      if (!created.ok()) {
        std::cerr << created.error().message << " " << created.error().hint << "\n";
        exit_code = 1;
        return;
      }
      std::cout << "Created " << flags->role << " account " << flags->username << "\n";
      exit_code = 0;
    } catch (const std::exception& e) {
      std::cerr << "examphoto admin create: " << e.what() << "\n";
      exit_code = 2;
    }
  });
}

}  // namespace examphoto
