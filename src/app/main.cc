// The `examphoto` binary: one executable, a subcommand per job (serve, roster import,
// photo check, idcard read, face compare, ...). Each area adds its subcommands through an
// Add<Area>Commands function; this file only wires them together.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "app/admin_command.h"
#include "app/config_command.h"
#include "app/reliability_command.h"
#include "app/roster_command.h"
#include "app/serve_command.h"
#ifndef EXAMPHOTO_WITHOUT_FACE_COMMANDS
#include "app/face_command.h"
#endif
#ifndef EXAMPHOTO_WITHOUT_IDCARD_COMMANDS
#include "app/idcard_command.h"
#endif
#ifndef EXAMPHOTO_WITHOUT_PHOTO_COMMANDS
#include "app/photo_command.h"
#endif

namespace {

int Run(int argc, char** argv) {
  // Everything examphoto writes (the database, images, keys, exports) is personal data or a
  // secret: readable by the service's user only, whatever the caller's umask (F8).
  ::umask(077);
  CLI::App app{"examphoto — photo collection for examination candidates"};
  app.require_subcommand(1);
  int exit_code = 0;
  // Subcommands, one line per area. A developer build may leave an area out
  // (EXAMPHOTO_SKIP_AREAS in CMakeLists.txt), and with it its commands.
  examphoto::AddServeCommands(app, exit_code);
  examphoto::AddRosterCommands(app, exit_code);
  examphoto::AddAdminCommands(app, exit_code);
  examphoto::AddConfigCommands(app, exit_code);
  examphoto::AddReliabilityCommands(app, exit_code);
#ifndef EXAMPHOTO_WITHOUT_FACE_COMMANDS
  examphoto::AddFaceCommands(app, exit_code);
#endif
#ifndef EXAMPHOTO_WITHOUT_IDCARD_COMMANDS
  examphoto::AddIdCardCommands(app, exit_code);
#endif
#ifndef EXAMPHOTO_WITHOUT_PHOTO_COMMANDS
  examphoto::AddPhotoCommands(app, exit_code);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // A command reports its own failures; what escapes them ends here with a line, not with
  // std::terminate.
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "examphoto: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "examphoto: unknown error\n");
  }
  return 1;
}
