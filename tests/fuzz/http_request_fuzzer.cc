// libFuzzer target: raw bytes from a client socket, framed the way http::HttpServer frames
// them (a header parser with the server's header limit, then a body parser with the matched
// route's body limit), then routed and answered by the real API handlers (candidate,
// collection, office, system) over a SQLite database in a temporary folder. The image cores
// are stand-ins so that every collection step is reachable without the models.
//
// Inputs may say "Authorization: Bearer @candidate" or "Bearer @staff": the placeholder is
// replaced by a live session token made at start-up, so the fuzzer reaches the handlers
// behind the session checks too. Paths that no route has go to the static files, as in the
// server, over a web root whose parent holds a marked secret: an answer carrying the marker
// is a path escape (security finding F1) and stops the fuzzer. http_request.dict holds the
// path forms that escaped once ("//", encodings, backslashes).
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "domain/messages.h"
#include "http/candidate_api.h"
#include "http/collection_api.h"
#include "http/metrics.h"
#include "http/office_api.h"
#include "http/responses.h"
#include "http/router.h"
#include "http/session_access.h"
#include "http/static_files.h"
#include "http/system_routes.h"
#include "service/collection_service.h"
#include "service/login_service.h"
#include "service/roster_import_service.h"
#include "service/staff_service.h"
#include "sms/sms_gateway.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "storage/migrator.h"

namespace http = boost::beast::http;
using namespace examphoto;

namespace {

constexpr size_t kHeaderLimit = 16 * 1024;  // as in src/http/http_server.cc
constexpr std::string_view kPhone = "13900000001";
constexpr std::string_view kSecretMarker = "FUZZ-SECRET-OUTSIDE-THE-WEB-ROOT";

class StubIdCards : public IdCardReaderPort {
 public:
  Result<CardSideReading> Read(std::string_view bytes, CardSide expected,
                               const RegisteredHolder&) const override {
    if (bytes.empty()) return MakeError(ErrorKind::kUnsupported, "image.not_an_image");
    CardSideReading reading;
    reading.side = expected == CardSide::kPortrait ? "portrait" : "emblem";
    if (expected == CardSide::kPortrait) {
      // The first byte decides whether the card matches the roster row.
      reading.fields["name"] = (bytes[0] & 1) ? "张三" : "李四";
      reading.fields["id_number"] = "110105199003071239";
      reading.portrait_jpeg = std::string(bytes.substr(0, 16));
    } else {
      reading.fields["valid_to"] = "2036.01.01";
    }
    if (bytes[0] & 2) reading.issues.push_back({"idcard.blurry", "模糊", "重拍"});
    reading.card_jpeg = std::string(bytes.substr(0, 32));
    return reading;
  }
};

class StubPortraits : public PortraitCheckerPort {
 public:
  Result<PortraitCheckOutcome> Check(std::string_view bytes) const override {
    if (bytes.empty()) return MakeError(ErrorKind::kUnsupported, "image.not_an_image");
    PortraitCheckOutcome outcome;
    outcome.pass = (bytes[0] & 1) != 0;
    if (!outcome.pass) outcome.issues.push_back({"photo.too_dark", "太暗", "换个亮处"});
    outcome.finished_jpeg = std::string(bytes.substr(0, 64));
    outcome.report_json = "{}";
    return outcome;
  }
};

struct Fixture {
  std::filesystem::path folder;
  SystemClock clock;
  std::unique_ptr<Database> database;
  std::unique_ptr<FileBlobStore> blobs;
  LogSmsGateway sms;
  StubIdCards id_cards;
  StubPortraits portraits;
  std::unique_ptr<LoginService> login;
  std::unique_ptr<StaffService> staff;
  std::unique_ptr<RosterImportService> roster;
  std::unique_ptr<CollectionService> collections;
  std::unique_ptr<CandidateApi> candidate_api;
  std::unique_ptr<CollectionApi> collection_api;
  std::unique_ptr<OfficeApi> office_api;
  std::unique_ptr<StaticFiles> web;
  Metrics metrics;
  std::unique_ptr<SessionAccess> access;
  std::unique_ptr<Router> router;
  std::string candidate_token;
  std::string staff_token;

  Fixture() {
    char pattern[] = "/tmp/examphoto-fuzz-http.XXXXXX";
    folder = ::mkdtemp(pattern);
    DatabaseOptions options;
    options.url = "sqlite:" + (folder / "fuzz.db").string();
    options.pool_size = 2;
    database = OpenDatabase(options);
    MigrateToLatest(*database);
    blobs = std::make_unique<FileBlobStore>(folder / "blobs");
    std::filesystem::create_directories(folder / "web" / "assets");
    std::ofstream(folder / "web" / "index.html") << "<html>app</html>";
    std::ofstream(folder / "web" / "assets" / "app.js") << "console.log(1)";
    std::ofstream(folder / "secret.key") << kSecretMarker;
    std::filesystem::create_symlink(folder / "secret.key", folder / "web" / "leak.txt");
    web = std::make_unique<StaticFiles>(folder / "web");
    LoginSettings settings;
    // Generous limits: the fuzzer should reach the handlers, not only the limiter.
    settings.resend_interval_seconds = 0;
    settings.codes_per_phone_per_day = 1'000'000'000;
    settings.codes_per_ip_per_hour = 1'000'000'000;
    settings.logins_per_ip_per_minute = 1'000'000'000;
    login = std::make_unique<LoginService>(*database, sms, clock, std::string(32, 'k'), settings);
    staff = std::make_unique<StaffService>(*database, clock);
    roster = std::make_unique<RosterImportService>(*database, clock);
    collections =
        std::make_unique<CollectionService>(*database, *blobs, clock, &id_cards, &portraits);
    access = std::make_unique<SessionAccess>(*login, *staff);
    router = std::make_unique<Router>(
        access.get(), [](const RequestContext& c, const Error& e) { return ErrorResponse(c, e); });
    candidate_api = std::make_unique<CandidateApi>(*login, PublicSettings{}, &sms);
    candidate_api->Register(*router);
    collection_api = std::make_unique<CollectionApi>(
        *collections, [] {}, CollectionApiOptions{1 << 20});
    collection_api->Register(*router);
    office_api = std::make_unique<OfficeApi>(*staff, *roster);
    office_api->Register(*router);
    AddSystemRoutes(*router, *database, metrics);

    (void)roster->Import(
        "报名号,姓名,身份证号,手机号,考试批次\n"
        "FUZZ-0001,张三,110105199003071239,13900000001,演示批次\n",
        "fuzz.csv", "fuzz", false);
    (void)login->SendCode(kPhone, "127.0.0.1");
    const std::string code = sms.Outbox(kPhone).front().code;
    auto session = login->Login(
        kPhone, code, {settings.user_agreement_version, settings.privacy_agreement_version},
        "127.0.0.1");
    if (session.ok()) candidate_token = session->token;
    (void)staff->CreateAccount("fuzzadmin", "fuzz-password-123", "admin");
    auto staff_session = staff->Login("fuzzadmin", "fuzz-password-123", "127.0.0.1");
    if (staff_session.ok()) staff_token = staff_session->token;
    if (candidate_token.empty() || staff_token.empty()) {
      std::fprintf(stderr, "http fuzzer: could not open the sessions\n");
      std::abort();
    }
  }

  ~Fixture() {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
};

Fixture* the_fixture = nullptr;

// The fixture lives for the whole process (libFuzzer never returns from its loop); only its
// temporary folder is removed at exit.
void RemoveFixtureFolder() {
  std::error_code ignored;
  if (the_fixture) std::filesystem::remove_all(the_fixture->folder, ignored);
}

Fixture& TheFixture() {
  if (!the_fixture) {
    spdlog::set_level(spdlog::level::off);
    the_fixture = new Fixture();
    std::atexit(RemoveFixtureFolder);
  }
  return *the_fixture;
}

void ReplacePlaceholders(HttpRequest& request, const Fixture& fixture) {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return;
  std::string value(it->value());
  if (value == "Bearer @candidate")
    request.set(http::field::authorization, "Bearer " + fixture.candidate_token);
  if (value == "Bearer @staff")
    request.set(http::field::authorization, "Bearer " + fixture.staff_token);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Fixture& fixture = TheFixture();
  boost::asio::const_buffer input(data, size);
  boost::system::error_code ec;

  http::request_parser<http::empty_body> header_parser;
  header_parser.header_limit(kHeaderLimit);
  header_parser.eager(false);
  while (input.size() > 0 && !header_parser.is_header_done()) {
    const size_t used = header_parser.put(input, ec);
    if (ec == http::error::need_more) break;
    if (ec) return 0;  // the server closes the connection (or answers 431) here
    input += used;
    if (used == 0) break;
  }
  if (!header_parser.is_header_done()) return 0;

  const auto& header = header_parser.get();
  std::string_view target = header.target();
  const size_t question = target.find('?');
  Router::Match match = fixture.router->Find(header.method(), target.substr(0, question));
  const size_t limit = match.route ? match.route->options.max_body_bytes : 64 * 1024;
  if (header.has_content_length() && header_parser.content_length().value_or(0) > limit) return 0;

  http::request_parser<http::string_body> body_parser(std::move(header_parser));
  body_parser.body_limit(limit);
  while (!body_parser.is_done()) {
    const size_t used = body_parser.put(input, ec);
    if (ec == http::error::need_more) {
      if (input.size() == 0) break;
      // Beast wants more than is buffered; the rest of the input is all there is.
      body_parser.put_eof(ec);
      break;
    }
    if (ec) return 0;
    input += used;
    if (used == 0 && input.size() == 0) {
      body_parser.put_eof(ec);
      break;
    }
  }
  if (!body_parser.is_done()) return 0;

  HttpRequest request = body_parser.release();
  ReplacePlaceholders(request, fixture);
  std::string target_text(request.target());
  const size_t q = target_text.find('?');
  std::string path = target_text.substr(0, q);
  std::string query = q == std::string::npos ? "" : target_text.substr(q + 1);
  if (!match.route) {
    if (match.path_known || path.rfind("/api/", 0) == 0) return 0;
    RequestContext context{request, "127.0.0.1", path, query, {}};
    const HttpResponse response = fixture.web->Serve(context);
    if (response.body().find(kSecretMarker) != std::string::npos) __builtin_trap();
    return 0;
  }
  RequestContext context{request, "127.0.0.1", path, query, std::move(match.params)};
  HttpResponse response;
  try {
    response = match.route->handler(context);
  } catch (const DatabaseError&) {
    return 0;  // the server answers 503/500 for these (RunHandler)
  }
  // Every answer must be a well-formed response: JSON errors parse, statuses are real.
  const unsigned status = response.result_int();
  static const bool verbose = std::getenv("EXAMPHOTO_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "  %s %s -> %u\n", std::string(request.method_string()).c_str(),
                 path.c_str(), status);
  if (status < 200 || status > 599) __builtin_trap();
  if (status >= 400) {
    boost::system::error_code json_ec;
    auto body = boost::json::parse(response.body(), json_ec);
    if (json_ec || !body.is_object() || !body.as_object().contains("error")) __builtin_trap();
  }
  return 0;
}
