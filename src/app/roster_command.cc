#include "app/roster_command.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/components.h"
#include "domain/messages.h"
#include "http/office_api.h"
#include "service/roster_import_service.h"

extern char** environ;

namespace examphoto {
namespace {

struct RosterFlags {
  CommonFlags common;
  std::string file;
  bool dry_run = false;
  bool json = false;
};

// Exit status: 0 imported (or would import), 1 rows rejected (nothing changed), 2 unusable
// file or failure.
int Import(const RosterFlags& flags) {
  const Settings settings = LoadSettingsOrExit(flags.common, environ).settings;
  SetUpLogging(settings.app, true);
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) {
    std::cerr << CatalogueText("text.roster_cli.unreadable", {{"file", flags.file}}) << "\n  "
              << LookupMessage("text.roster_cli.unreadable").hint << "\n";
    return 2;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto core = OpenCore(settings);
  RosterImportService roster(*core->database, core->clock);
  auto report = roster.Import(bytes.str(), flags.file, "cli", flags.dry_run);
  if (!report.ok()) {
    if (flags.json) {
      std::cout << boost::json::serialize(boost::json::object{{"error",
                                                               {{"code", report.error().code},
                                                                {"message", report.error().message},
                                                                {"hint", report.error().hint}}}})
                << "\n";
    } else {
      std::cerr << report.error().message << "\n  " << report.error().hint << "\n";
    }
    return 2;
  }
  if (flags.json) {
    std::cout << boost::json::serialize(RosterReportJson(*report)) << "\n";
  } else if (!report->problems.empty()) {
    std::cout << CatalogueText("text.roster_cli.rejected",
                               {{"count", std::to_string(report->problems.size())}})
              << "\n";
    for (const auto& p : report->problems) {
      std::cout << "  "
                << CatalogueText("text.roster_cli.problem",
                                 {{"row", std::to_string(p.row)},
                                  {"column", p.column.empty() ? "" : " [" + p.column + "]"},
                                  {"message", p.message}})
                << "\n";
    }
  } else {
    std::cout << CatalogueText(
                     flags.dry_run ? "text.roster_cli.checked" : "text.roster_cli.imported",
                     {{"total", std::to_string(report->total_rows)},
                      {"inserted", std::to_string(report->inserted)},
                      {"updated", std::to_string(report->updated)},
                      {"unchanged", std::to_string(report->unchanged)}})
              << "\n";
  }
  spdlog::shutdown();
  return report->problems.empty() ? 0 : 1;
}

}  // namespace

void AddRosterCommands(CLI::App& app, int& exit_code) {
  CLI::App* roster = app.add_subcommand("roster", "Registration records (the roster)");
  roster->require_subcommand(1);
  auto flags = std::make_shared<RosterFlags>();
  CLI::App* import = roster->add_subcommand(
      "import", "Import a roster CSV (UTF-8 or GBK) all-or-nothing; prints a row-by-row report");
  flags->common.AddTo(*import);
  import->add_option("FILE", flags->file, "CSV with columns 报名号,姓名,身份证号,手机号,考试批次")
      ->required();
  import->add_flag("--dry-run", flags->dry_run, "Validate only; change nothing");
  import->add_flag("--json", flags->json, "Print the report as JSON");
  import->callback([flags, &exit_code] {
    try {
      exit_code = Import(*flags);
}
catch (const std::exception& e) {
  std::cerr << "examphoto roster import: " << e.what() << "\n";
  exit_code = 2;
}
}  // namespace examphoto
);
}

}  // namespace examphoto
