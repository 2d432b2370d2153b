#include "app/serve_command.h"

#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "app/app_data_embedded.h"
#include "app/components.h"
#include "app/image_cores.h"
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

std::pair<std::string, uint16_t> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("listen must be HOST:PORT, got " + listen);
  const int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::invalid_argument("port out of range in " + listen);
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return {host, static_cast<uint16_t>(port)};
}

LoginSettings LoginSettingsFrom(const Config& config) {
  LoginSettings s;
  s.code_ttl_seconds = config.GetInt("login.code_ttl_seconds");
  s.resend_interval_seconds = config.GetInt("login.resend_interval_seconds");
  s.codes_per_phone_per_day = config.GetInt("login.codes_per_phone_per_day");
  s.attempts_per_code = config.GetInt("login.attempts_per_code");
  s.codes_per_ip_per_hour = config.GetInt("login.codes_per_ip_per_hour");
  s.logins_per_ip_per_minute = config.GetInt("login.logins_per_ip_per_minute");
  s.session_ttl_seconds = config.GetInt("login.session_ttl_seconds");
  s.user_agreement_version = config.Get("agreements.user_version");
  s.privacy_agreement_version = config.Get("agreements.privacy_version");
  return s;
}

std::unique_ptr<SmsGateway> MakeSmsGateway(const Config& config) {
  const std::string kind = config.Get("sms.gateway");
  if (kind == "log") return std::make_unique<LogSmsGateway>();
  if (kind == "http") {
    HttpSmsGatewayOptions options;
    options.url = config.Get("sms.http.url");
    options.api_key = config.Get("sms.http.api_key");
    options.body_template = config.Get("sms.http.body_template");
    options.timeout = std::chrono::milliseconds(config.GetInt("sms.http.timeout_ms"));
    if (options.url.empty()) throw std::invalid_argument("sms.gateway=http needs sms.http.url");
    return std::make_unique<HttpSmsGateway>(options);
  }
  throw std::invalid_argument("sms.gateway must be log or http, got " + kind);
}

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
  for (const Candidate& candidate : ReadRosterTable(*roster_file)->candidates) {
    banner += "  " + candidate.phone + " " + candidate.name + "\n";
  }
  std::cout << banner << "\n" << std::flush;
}

int Serve(const ServeFlags& flags) {
  Config config = LoadConfigOrExit(flags.common, environ);
  if (!flags.listen.empty()) (void)config.Set("listen", flags.listen);
  if (flags.dev) (void)config.Set("dev_mode", "true");
  if (flags.demo) (void)config.Set("demo_roster", "true");
  SetUpLogging(config, false);

  auto core = OpenCore(config);
  spdlog::info("database.open target={}", core->database->Describe());
  if (config.GetBool("demo_roster")) LoadDemoRoster(*core);

  auto sms = MakeSmsGateway(config);
  const bool dev_mode = config.GetBool("dev_mode");
  const auto* dev_outbox = dev_mode ? dynamic_cast<const LogSmsGateway*>(sms.get()) : nullptr;
  LoginService login(*core->database, *sms, core->clock, core->secret_key,
                     LoginSettingsFrom(config));
  StaffService staff(*core->database, core->clock, config.GetInt("staff.session_ttl_seconds"));
  RosterImportService roster(*core->database, core->clock);

  PublicSettings public_settings;
  public_settings.office_phone = config.Get("office.phone");
  public_settings.user_agreement_version = config.Get("agreements.user_version");
  public_settings.privacy_agreement_version = config.Get("agreements.privacy_version");

  ImageCores cores(config);
  CollectionService collections(*core->database, *core->blobs, core->clock, &cores.id_cards(),
                                &cores.portraits());
  std::unique_ptr<IdentityVerifierPort> http_verifier;
  const std::string provider = config.Get("verification.provider");
  if (provider == "http") {
    HttpIdentityVerifierOptions verifier_options;
    verifier_options.url = config.Get("verification.http.url");
    verifier_options.secret = config.Get("verification.http.secret");
    verifier_options.timeout =
        std::chrono::milliseconds(config.GetInt("verification.http.timeout_ms"));
    if (verifier_options.url.empty() || verifier_options.secret.empty()) {
      throw std::invalid_argument(
          "verification.provider=http needs verification.http.url and .secret");
    }
    http_verifier = std::make_unique<HttpIdentityVerifier>(verifier_options);
  } else if (provider != "local") {
    throw std::invalid_argument("verification.provider must be local or http, got " + provider);
  }
  VerificationWorkerOptions worker_options;
  worker_options.threads = static_cast<int>(config.GetInt("verification.workers"));
  worker_options.lease_seconds = config.GetInt("verification.lease_seconds");
  worker_options.max_attempts = static_cast<int>(config.GetInt("verification.max_attempts"));
  worker_options.first_backoff_seconds = config.GetInt("verification.first_backoff_seconds");
  VerificationWorker worker(*core->database, *core->blobs, core->clock,
                            http_verifier ? *http_verifier : cores.local_verifier(),
                            worker_options);

  Metrics metrics;
  SessionAccess access(login, staff);
  Router router(&access, [](const RequestContext& context, const Error& error) {
    return ErrorResponse(context, error);
  });
  const bool preload = config.GetBool("models.preload");
  AddSystemRoutes(router, *core->database, metrics, [&cores, preload]() -> std::string {
    if (cores.ready() || !preload) return "";
    const std::string failure = cores.failure();
    return failure.empty() ? "loading" : "failed: " + failure;
  });
  CandidateApi candidate_api(login, public_settings, dev_outbox);
  candidate_api.Register(router);
  CollectionApi collection_api(
      collections, [&worker] { worker.Notify(); },
      static_cast<size_t>(config.GetInt("http.max_upload_bytes")));
  collection_api.Register(router);
  OfficeApi office_api(staff, roster);
  office_api.Register(router);
  OfficeService office(*core->database, *core->blobs, core->clock);
  OfficeExport office_exports(*core->database, *core->blobs);
  OfficeConsoleApi office_console(staff, office, office_exports, core->clock,
                                  config.Get("office.phone"));
  office_console.Register(router);

  StaticFiles web(config.Get("web.root"));
  // The office console is its own app under /office/ (web/office), with its own index.html.
  StaticFiles office_web(config.Get("web.office_root"), "/office");
  if (!web.Available()) {
    spdlog::warn(
        "web.missing root={} (build it with: npm --prefix web ci && npm --prefix web run build)",
        config.Get("web.root"));
  }

  HttpServerOptions options;
  std::tie(options.address, options.port) = ParseListen(config.Get("listen"));
  options.io_threads = static_cast<int>(config.GetInt("http.io_threads"));
  options.worker_threads = static_cast<int>(config.GetInt("http.worker_threads"));
  options.max_queued_heavy = static_cast<int>(config.GetInt("http.max_queued_heavy"));
  options.max_connections = static_cast<int>(config.GetInt("http.max_connections"));
  options.header_timeout = std::chrono::seconds(config.GetInt("http.header_timeout_seconds"));
  options.body_timeout = std::chrono::seconds(config.GetInt("http.body_timeout_seconds"));
  options.write_timeout = std::chrono::seconds(config.GetInt("http.write_timeout_seconds"));
  options.shutdown_grace = std::chrono::seconds(config.GetInt("http.shutdown_grace_seconds"));
  options.trust_forwarded_for = config.GetBool("http.trust_forwarded_for");
  try {
    options.trusted_proxies = ParseAddressList(config.Get("http.trusted_proxies"));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("http.trusted_proxies: ") + e.what());
  }
  options.access_log = config.GetBool("http.access_log");
  HttpServer server(options, router, metrics, [&web, &office_web](RequestContext& context) {
    const bool office = context.path == "/office" || context.path.rfind("/office/", 0) == 0;
    return office ? office_web.Serve(context) : web.Serve(context);
  });
  server.Bind();
  if (preload) cores.LoadInBackground();
  worker.Start();
  ExpiredRowsSweeper sweeper(
      *core->database, core->clock,
      std::chrono::seconds(config.GetInt("database.cleanup_interval_seconds")));
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
