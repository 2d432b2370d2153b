#include "app/reliability_command.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <iostream>

#include "app/components.h"
#include "storage/data_checker.h"
#include "storage/encrypting_blob_store.h"
#include "storage/upload_purger.h"

extern char** environ;

namespace examphoto {
namespace {

struct CheckFlags {
  CommonFlags common;
  bool json = false;
  bool repair = false;
  int64_t job_grace_seconds = 120;
  int64_t temp_age_seconds = 600;
};

struct PurgeFlags {
  CommonFlags common;
  std::string season;
  int64_t older_than_days = -1;
  bool dry_run = false;
  bool json = false;
};

struct KeyFlags {
  CommonFlags common;
  std::string id;
};

// The file store under the configured one (the encryption layer wraps it), or null.
const FileBlobStore* FileStoreOf(BlobStore& blobs) {
  if (auto* sealed = dynamic_cast<EncryptingBlobStore*>(&blobs))
    return FileStoreOf(sealed->inner());
  return dynamic_cast<const FileBlobStore*>(&blobs);
}

// Exit status: 0 consistent, 1 problems found, 2 could not check.
int CheckDataCommand(const CheckFlags& flags) {
  const Settings settings = LoadSettingsOrExit(flags.common, environ).settings;
  SetUpLogging(settings.app, true);
  auto core = OpenCore(settings);
  DataCheckOptions options;
  options.repair = flags.repair;
  options.job_grace = std::chrono::seconds(flags.job_grace_seconds);
  options.temp_file_age = std::chrono::seconds(flags.temp_age_seconds);
  DataCheckReport report = CheckData(*core->database, *core->blobs, FileStoreOf(*core->blobs),
                                     core->clock.NowMillis(), options);
  if (flags.json) {
    auto list = [](const std::vector<DataFinding>& findings) {
      boost::json::array out;
      for (const auto& f : findings) out.push_back({{"kind", f.kind}, {"detail", f.detail}});
      return out;
    };
    std::cout << boost::json::serialize(
                     boost::json::object{{"ok", report.ok()},
                                         {"collections", report.collections},
                                         {"blob_references", report.blob_references},
                                         {"blobs", report.blobs},
                                         {"jobs", report.jobs},
                                         {"repaired", report.repaired},
                                         {"problems", list(report.problems)},
                                         {"notices", list(report.notices)}})
              << "\n";
  } else {
    std::cout << "checked " << report.collections << " collections, " << report.blob_references
              << " blob references, " << report.blobs << " blobs, " << report.jobs << " jobs\n";
    for (const auto& p : report.problems)
      std::cout << "PROBLEM " << p.kind << ": " << p.detail << "\n";
    if (!report.notices.empty()) {
      std::cout << "notice: " << report.notices.size()
                << " blobs no row names (uploads cut off before their row was written)\n";
    }
    if (report.repaired > 0)
      std::cout << "repaired: removed " << report.repaired << " stale temporary files\n";
    std::cout << (report.ok() ? "OK\n" : "INCONSISTENT\n");
  }
  spdlog::shutdown();
  return report.ok() ? 0 : 1;
}

int PurgeCommand(const PurgeFlags& flags) {
  const Settings settings = LoadSettingsOrExit(flags.common, environ).settings;
  SetUpLogging(settings.app, true);
  auto core = OpenCore(settings);
  PurgeOptions options{flags.season, flags.older_than_days, flags.dry_run};
  PurgeReport report =
      PurgeUploads(*core->database, *core->blobs, core->clock.NowMillis(), options);
  spdlog::info(
      "purge.done season_candidates={} skipped={} id_card_uploads={} photo_uploads={} photos={} "
      "blobs_removed={} dry_run={}",
      report.candidates, report.skipped_candidates, report.id_card_uploads, report.photo_uploads,
      report.photos, report.blobs_removed, flags.dry_run);
  if (flags.json) {
    std::cout << boost::json::serialize(
                     boost::json::object{{"dry_run", flags.dry_run},
                                         {"candidates", report.candidates},
                                         {"skipped_candidates", report.skipped_candidates},
                                         {"id_card_uploads", report.id_card_uploads},
                                         {"photo_uploads", report.photo_uploads},
                                         {"photos", report.photos},
                                         {"blobs_removed", report.blobs_removed}})
              << "\n";
  } else {
    std::cout << (flags.dry_run ? "would purge" : "purged") << " for " << report.candidates
              << " candidates of \"" << flags.season << "\": " << report.id_card_uploads
              << " ID card uploads, " << report.photo_uploads << " photo uploads, " << report.photos
              << " photos that were not accepted";
    if (!flags.dry_run) std::cout << " (" << report.blobs_removed << " blobs removed)";
    std::cout << "\n";
    if (report.skipped_candidates > 0) {
      std::cout << report.skipped_candidates
                << " candidates skipped: their verification is still running\n";
    }
  }
  spdlog::shutdown();
  return 0;
}

int RotateKeyCommand(const KeyFlags& flags) {
  const Settings settings = LoadSettingsOrExit(flags.common, environ).settings;
  SetUpLogging(settings.app, true);
  auto core = OpenCore(settings);
  if (!BlobEncryptionConfigured(settings.blobs)) {
    std::cerr
        << "blobs.encryption is off: nothing to rotate to.\n"
           "  Set blobs.encryption = on, or a key made with: examphoto blobs new-key --id ID\n";
    return 2;
  }
  // Reopen the store so that blobs written before encryption was switched on can be read
  // (and sealed) here; the service itself refuses them.
  auto sealed = OpenBlobStore(settings.blobs, *core->database, core->clock,
                              /*allow_plaintext=*/true);
  RotationReport report = static_cast<EncryptingBlobStore&>(*sealed).Rotate();
  std::cout << "examined " << report.examined << " blobs, re-sealed " << report.resealed
            << " with the current key, " << report.unreadable << " unreadable\n";
  if (report.unreadable > 0) {
    std::cout
        << "  unreadable blobs are sealed with a key not listed in blobs.encryption_old_keys, "
           "or damaged; keep the old keys listed until this reports 0.\n";
  }
  spdlog::shutdown();
  return report.unreadable == 0 ? 0 : 1;
}

}  // namespace

void AddReliabilityCommands(CLI::App& app, int& exit_code) {
  auto check = std::make_shared<CheckFlags>();
  CLI::App* check_command = app.add_subcommand(
      "check-data", "Check that the database and the blobs agree (exit 0 consistent, 1 problems)");
  check->common.AddTo(*check_command);
  check_command->add_flag("--json", check->json, "Report as JSON");
  check_command->add_flag("--repair", check->repair,
                          "Remove temporary files of writes that never finished");
  check_command->add_option("--job-grace-seconds", check->job_grace_seconds,
                            "A running job whose lease ended longer ago is stuck (default 120)");
  check_command->add_option("--temp-age-seconds", check->temp_age_seconds,
                            "A temporary blob file older than this is stale (default 600)");
  check_command->callback([check, &exit_code] {
    try {
      exit_code = CheckDataCommand(*check);
    } catch (const std::exception& e) {
      std::cerr << "examphoto check-data: " << e.what() << std::endl;
      exit_code = 2;
    }
  });

  auto purge = std::make_shared<PurgeFlags>();
  CLI::App* purge_command = app.add_subcommand("purge",
                                               "Delete a season's raw uploads after the retention "
                                               "period; keeps the accepted photo and the record");
  purge->common.AddTo(*purge_command);
  purge_command
      ->add_option("--season", purge->season, "Exam session (candidates' 考试批次) to purge")
      ->required();
  purge_command
      ->add_option("--older-than", purge->older_than_days, "Only uploads older than this many days")
      ->required()
      ->check(CLI::Range(int64_t{0}, int64_t{36500}));
  purge_command->add_flag("--dry-run", purge->dry_run, "Count what would go; change nothing");
  purge_command->add_flag("--json", purge->json, "Report as JSON");
  purge_command->callback([purge, &exit_code] {
    try {
      exit_code = PurgeCommand(*purge);
    } catch (const std::exception& e) {
      std::cerr << "examphoto purge: " << e.what() << std::endl;
      exit_code = 2;
    }
  });

  CLI::App* blobs = app.add_subcommand("blobs", "Encryption keys of the stored images");
  blobs->require_subcommand(1);
  auto new_key = std::make_shared<KeyFlags>();
  CLI::App* new_key_command =
      blobs->add_subcommand("new-key", "Print a new random key as ID:HEX for blobs.encryption_key");
  new_key_command
      ->add_option("--id", new_key->id, "Key id, e.g. 2026a (written in clear in each blob)")
      ->required();
  new_key_command->callback([new_key, &exit_code] {
    auto parsed = ParseBlobKey(NewBlobKeyText(new_key->id));
    if (!parsed.ok()) {
      std::cerr << parsed.error().message << "\n  " << parsed.error().hint << "\n";
      exit_code = 2;
      return;
    }
    std::cout << NewBlobKeyText(new_key->id) << "\n";
    exit_code = 0;
  });
  auto rotate = std::make_shared<KeyFlags>();
  CLI::App* rotate_command = blobs->add_subcommand(
      "rotate-key",
      "Re-seal every blob with blobs.encryption_key (old keys from blobs.encryption_old_keys)");
  rotate->common.AddTo(*rotate_command);
  rotate_command->callback([rotate, &exit_code] {
    try {
      exit_code = RotateKeyCommand(*rotate);
    } catch (const std::exception& e) {
      std::cerr << "examphoto blobs rotate-key: " << e.what() << std::endl;
      exit_code = 2;
    }
  });
}

}  // namespace examphoto
