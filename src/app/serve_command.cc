#include "app/serve_command.h"

#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/app_data_embedded.h"
#include "app/components.h"
#include "app/image_cores.h"
#include "app/shutdown_signals.h"
#include "http/candidate_api.h"
#include "http/client_address.h"
#include "http/collection_api.h"
#include "http/http_server.h"
#include "http/office_api.h"
#include "http/office_console_api.h"
#include "http/responses.h"
#include "http/session_access.h"
#include "http/static_files.h"
#include "http/system_routes.h"
#include "imaging/photo_profile.h"
#include "service/collection_service.h"
#include "service/login_service.h"
#include "service/roster_csv.h"
#include "service/roster_import_service.h"
#include "service/staff_service.h"
#include "service/verification_worker.h"
#include "sms/sms_gateway.h"
#include "storage/expired_rows_sweeper.h"
#include "verification/http_identity_verifier.h"

extern char** environ;

namespace examphoto {
namespace {

struct ServeFlags {
  CommonFlags common;
  std::string listen;
  bool dev = false;
  bool demo = false;
};

void LoadDemoRoster(CoreComponents& core) {
  RosterImportService roster(*core.database, core.clock);
  const std::string_view* roster_file = app_data::FindEmbedded("config/demo-roster.csv");
  auto report = roster.Import(*roster_file, "demo-roster.csv", "demo", false);
  if (!report.ok() || !report->problems.empty()) {
    spdlog::warn("demo.roster_not_loaded (a record conflicts with the demo rows)");
    return;
  }
  std::string banner =
      "\nDEMO roster loaded (not real candidates). Log in with one of these phones;\n"
      "with sms.gateway=log the SMS code is printed in this log:\n";
  // Kept in a variable: a range-for over a member of the temporary would read it after its
  // end (ASan's stack-use-after-scope).
  const auto table = ReadRosterTable(*roster_file);
  if (!table.ok()) return;
  for (const Candidate& candidate : table->candidates) {
    banner += "  " + candidate.phone + " " + candidate.name + "\n";
  }
  std::cout << banner << "\n" << std::flush;
}

// "#RRGGBB" of a profile's background, as the app paints its frame.
std::string HexColour(const std::array<uint8_t, 3>& rgb) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
  return text;
}

int Serve(const ServeFlags& flags) {
  // First, before any other thread may start: signals are recorded for the whole run.
  ShutdownSignals signals;
  std::vector<std::pair<std::string, std::string>> overrides;
  if (!flags.listen.empty()) overrides.emplace_back("listen", flags.listen);
  if (flags.dev) overrides.emplace_back("dev_mode", "true");
  if (flags.demo) overrides.emplace_back("demo_roster", "true");
  const Settings settings = LoadSettingsOrExit(flags.common, environ, overrides).settings;
  SetUpLogging(settings.app, false);

  auto core = OpenCore(settings);
  spdlog::info("database.open target={}", core->database->Describe());
  if (settings.app.demo_roster) LoadDemoRoster(*core);

  auto sms = MakeSmsGateway(settings.sms);
  const bool dev_mode = settings.app.dev_mode;
  if (settings.sms.gateway == "log") {
    spdlog::warn(
        "sms.log_gateway (login codes are written to this log instead of being sent: for a "
        "demonstration only; in production set sms.gateway = http)");
  }
  const auto* dev_outbox = dev_mode ? dynamic_cast<const LogSmsGateway*>(sms.get()) : nullptr;
  LoginService login(*core->database, *sms, core->clock, core->secret_key, settings.login);
  StaffService staff(*core->database, core->clock, settings.staff);
  RosterImportService roster(*core->database, core->clock);

  // The app is told what this deployment uses: the agreements login checks, the profile
  // the portraits are judged by.
  PublicSettings public_settings = settings.public_settings;
  public_settings.user_agreement_version = settings.login.user_agreement_version;
  public_settings.privacy_agreement_version = settings.login.privacy_agreement_version;
  auto profile = FindPhotoProfile(settings.image_cores);
  if (!profile.ok()) throw std::runtime_error(profile.error().detail);
  public_settings.photo_profile = profile->name;
  public_settings.photo_width = profile->width;
  public_settings.photo_height = profile->height;
  public_settings.photo_background = HexColour(profile->background_rgb);
  // The thresholds the camera's live guidance applies: the same as the portrait checks'.
  const imaging::CheckThresholds& t = profile->checks;
  public_settings.framing = {
      t.min_face_width_fraction, t.max_face_width_fraction, t.max_centre_offset_fraction,
      t.min_eye_height_fraction, t.max_eye_height_fraction, t.max_yaw_degrees,
      t.max_pitch_degrees,       t.max_roll_degrees,        t.min_face_peak,
      t.max_face_brightness,     t.max_side_light_ratio};

  ImageCores cores(settings.image_cores);
  CollectionService collections(*core->database, *core->blobs, core->clock, &cores.id_cards(),
                                &cores.portraits(), settings.uploads);
  std::unique_ptr<IdentityVerifierPort> http_verifier;
  if (settings.app.verification_provider == "http") {
    http_verifier = std::make_unique<HttpIdentityVerifier>(settings.identity_platform);
  } else {
    // Security finding F16: say plainly what the default checks and what it does not.
    spdlog::warn(
        "verification.demonstration_mode provider=local (the photo is compared with the ID "
        "card image the candidate uploaded, so a forged card passes; in production set "
        "verification.provider = http for the identity platform)");
  }
  VerificationWorker worker(*core->database, *core->blobs, core->clock,
                            http_verifier ? *http_verifier : cores.local_verifier(),
                            settings.verification_workers);

  Metrics metrics;
  SessionAccess access(login, staff);
  Router router(&access, [](const RequestContext& context, const Error& error) {
    return ErrorResponse(context, error);
  });
  const bool preload = settings.image_cores.preload;
  AddSystemRoutes(router, *core->database, metrics, [&cores, preload]() -> std::string {
    if (cores.ready() || !preload) return "";
    const std::string failure = cores.failure();
    return failure.empty() ? "loading" : "failed: " + failure;
  });
  CandidateApi candidate_api(login, public_settings, dev_outbox);
  candidate_api.Register(router);
  CollectionApi collection_api(
      collections, [&worker] { worker.Notify(); }, settings.collection_api);
  collection_api.Register(router);
  OfficeApi office_api(staff, roster);
  office_api.Register(router);
  OfficeService office(*core->database, *core->blobs, core->clock);
  OfficeExport office_exports(*core->database, *core->blobs);
  OfficeConsoleApi office_console(staff, office, office_exports, core->clock,
                                  public_settings.office_phone);
  office_console.Register(router);

  StaticFiles web(settings.web.root);
  // The office console is its own app under /office/ (web/office), with its own index.html.
  StaticFiles office_web(settings.web.office_root, "/office");
  if (!web.Available()) {
    spdlog::warn("web.missing root={} (build it with scripts/build.sh, or set web.root)",
                 settings.web.root.string());
  }

  const HttpServerOptions& options = settings.http;
  HttpServer server(options, router, metrics, [&web, &office_web](RequestContext& context) {
    const bool office = context.path == "/office" || context.path.rfind("/office/", 0) == 0;
    return office ? office_web.Serve(context) : web.Serve(context);
  });
  server.Bind();
  signals.OnSignal([&server] { server.RequestStop(); }, [&server] { server.RequestStopNow(); });
  if (preload && !signals.stop_requested()) cores.LoadInBackground();
  worker.Start();
  ExpiredRowsSweeper sweeper(*core->database, core->clock, settings.database.cleanup_interval);
  sweeper.Start();
  spdlog::info("server.listening address=http://{}:{} dev_mode={}", options.address, server.port(),
               dev_mode);
  // One write, so the asynchronous log lines on the same stdout cannot split it.
  const std::string banner =
      "examphoto is serving on http://" + options.address + ":" + std::to_string(server.port()) +
      "/" + (dev_mode ? "  (development mode: /api/v1/dev/sms-outbox is on)" : "") + "\n";
  std::fwrite(banner.data(), 1, banner.size(), stdout);
  std::fflush(stdout);
  server.Run();
  // Teardown in the order that nothing is used after it is gone: the signal thread (its
  // handlers refer to the server), the model loader, the sweeper and the verification worker
  // (they log), then the logger.
  signals.Stop();
  cores.Stop();
  sweeper.Stop();
  worker.Stop();
  spdlog::info("server.exit");
  spdlog::shutdown();
  return 0;
}

}  // namespace

void AddServeCommands(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Run the HTTP service (candidate app, office API)");
  flags->common.AddTo(*serve);
  serve->add_option("--listen", flags->listen,
                    "Address to listen on, HOST:PORT (env EXAMPHOTO_LISTEN)");
  serve->add_flag("--dev", flags->dev, "Development mode: enables /api/v1/dev/sms-outbox");
  serve->add_flag("--demo", flags->demo,
                  "Load the demo roster (clearly marked, not real candidates)");
  serve->callback([flags, &exit_code] {
    try {
      exit_code = Serve(*flags);
    } catch (const std::exception& e) {
      spdlog::critical("server.failed error=\"{}\"", e.what());
      spdlog::shutdown();
      std::cerr << "examphoto serve: " << e.what() << std::endl;
      exit_code = 2;
    }
  });
}

}  // namespace examphoto
