#include "app/roster_command.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/components.h"
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
  Config config = LoadConfigOrExit(flags.common, environ);
  SetUpLogging(config, true);
  std::ifstream in(flags.file, std::ios::binary);
  if (!in) {
    std::cerr << "无法打开名单文件：" << flags.file << "\n  请检查文件路径。\n";
    return 2;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto core = OpenCore(config);
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
    std::cout << "名单有 " << report->problems.size() << " 处错误，本次导入未做任何更改：\n";
    for (const auto& p : report->problems) {
      std::cout << "  第" << p.row << "行" << (p.column.empty() ? "" : " [" + p.column + "]")
                << ": " << p.message << "\n";
    }
  } else {
    std::cout << (flags.dry_run ? "检查通过（未写入）：" : "导入完成：") << "共"
              << report->total_rows << "行，新增" << report->inserted << "，更新" << report->updated
              << "，未变" << report->unchanged << "\n";
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
