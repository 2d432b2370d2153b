#include "app/admin_command.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
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

// Runs `body` on the staff accounts of the configured database; exit status 0 when it
// succeeded, 1 when it refused (the message is printed), 2 when the database failed.
int WithStaff(const CommonFlags& flags, const std::function<Status(StaffService&)>& body) {
  try {
    const Settings settings = LoadSettingsOrExit(flags, environ).settings;
    SetUpLogging(settings.app, true);
    auto core = OpenCore(settings);
    StaffService staff(*core->database, core->clock, settings.staff);
    Status done = body(staff);
    if (!done.ok()) {
      std::cerr << done.error().message << " " << done.error().hint << "\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "examphoto admin: " << e.what() << "\n";
    return 2;
  }
}

// The command line acts as an administrator of its own: the audit log records it as "cli".
const StaffActor kCommandLine{"cli", "admin", ""};

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
    exit_code = WithStaff(flags->common, [&](StaffService& staff) -> Status {
      Status created = staff.CreateAccount(flags->username, ReadPassword(), flags->role);
      if (created.ok())
        std::cout << "Created " << flags->role << " account " << flags->username << "\n";
      return created;
    });
  });

  CLI::App* list = admin->add_subcommand("list", "List staff accounts: username, role, state");
  flags->common.AddTo(*list);
  list->callback([flags, &exit_code] {
    exit_code = WithStaff(flags->common, [](StaffService& staff) -> Status {
      auto accounts = staff.List();
      if (!accounts.ok()) return accounts.error();
      for (const StaffAccount& account : *accounts) {
        std::cout << account.username << "  " << account.role << "  "
                  << (account.disabled ? "disabled" : "active") << "\n";
      }
      return Ok();
    });
  });

  struct Change {
    const char* name;
    const char* help;
  };
  for (const Change& change :
       {Change{"disable", "Disable a staff account and end its sessions (enable undoes it)"},
        Change{"enable", "Enable a disabled staff account"},
        Change{"remove",
               "Remove a staff account for good; its sessions end and its username stays taken"}}) {
    CLI::App* command = admin->add_subcommand(change.name, change.help);
    flags->common.AddTo(*command);
    command->add_option("--username", flags->username, "Login name")->required();
    const std::string name = change.name;
    command->callback([flags, name, &exit_code] {
      exit_code = WithStaff(flags->common, [&](StaffService& staff) -> Status {
        if (name == "remove") return staff.Remove(kCommandLine, flags->username);
        auto changed = name == "enable" ? staff.Enable(kCommandLine, flags->username)
                                        : staff.Disable(kCommandLine, flags->username);
        if (!changed.ok()) return changed.error();
        return Ok();
      });
    });
  }
}

}  // namespace examphoto
