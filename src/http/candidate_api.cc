#include "http/candidate_api.h"

#include <boost/json.hpp>

#include "domain/identity_match.h"
#include "domain/messages.h"
#include "http/documents_embedded.h"
#include "http/responses.h"

namespace examphoto {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

std::string IsoTime(int64_t millis) {
  const std::time_t seconds = millis / 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

Result<PublicSettings> PublicSettings::FromConfig(const ConfigSection& section) {
  PublicSettings settings;
  Status read = section.Read("phone", settings.office_phone);
  if (!read.ok()) return read.error();
  return settings;
}

CandidateApi::CandidateApi(LoginService& login, PublicSettings settings,
                           const LogSmsGateway* dev_outbox)
    : login_(login), settings_(std::move(settings)), dev_outbox_(dev_outbox) {}

void CandidateApi::Register(Router& router) {
  router.Add(http::verb::get, "/api/v1/app-config", Bind(this, &CandidateApi::AppConfig));
  router.Add(http::verb::get, "/api/v1/labels", Bind(this, &CandidateApi::Labels));
  router.Add(http::verb::get, "/api/v1/agreements/{name}", Bind(this, &CandidateApi::Agreement));
  // Sending a code may wait on the SMS provider: off the I/O threads, and not behind images.
  router.Add(http::verb::post, "/api/v1/auth/sms-code", Bind(this, &CandidateApi::SendCode),
             {.waits_on_network = true});
  router.Add(http::verb::post, "/api/v1/auth/login", Bind(this, &CandidateApi::Login));
  router.Add(http::verb::post, "/api/v1/auth/logout", Bind(this, &CandidateApi::Logout),
             {.access = Access::kCandidate});
  if (dev_outbox_) {
    router.Add(http::verb::get, "/api/v1/dev/sms-outbox", Bind(this, &CandidateApi::DevOutbox));
  }
}

HttpResponse CandidateApi::AppConfig(RequestContext& context) {
  json::object body;
  body["office_phone"] = settings_.office_phone;
  body["agreements"] = {{"user",
                         {{"version", settings_.user_agreement_version},
                          {"title", CatalogueText("text.agreement.user")}}},
                        {"privacy",
                         {{"version", settings_.privacy_agreement_version},
                          {"title", CatalogueText("text.agreement.privacy")}}}};
  const LoginSettings& login = login_.settings();
  body["sms"] = {{"resend_seconds", login.resend_interval_seconds},
                 {"code_length", login.code_digits}};
  body["photo_profile"] = {{"name", settings_.photo_profile},
                           {"width", settings_.photo_width},
                           {"height", settings_.photo_height},
                           {"background", settings_.photo_background}};
  const PublicSettings::Framing& f = settings_.framing;
  body["framing"] = {{"min_face_width_fraction", f.min_face_width_fraction},
                     {"max_face_width_fraction", f.max_face_width_fraction},
                     {"max_centre_offset_fraction", f.max_centre_offset_fraction},
                     {"min_eye_height_fraction", f.min_eye_height_fraction},
                     {"max_eye_height_fraction", f.max_eye_height_fraction},
                     {"max_yaw_degrees", f.max_yaw_degrees},
                     {"max_pitch_degrees", f.max_pitch_degrees},
                     {"max_roll_degrees", f.max_roll_degrees},
                     {"min_face_peak", f.min_face_peak},
                     {"max_face_brightness", f.max_face_brightness},
                     {"max_side_light_ratio", f.max_side_light_ratio}};
  // The guidance's hints in the catalogue's words.
  json::object hints;
  for (const char* code :
       {"framing.no_face", "framing.one_face", "framing.closer", "framing.farther",
        "framing.centre", "framing.look_straight", "framing.too_dark", "framing.too_bright",
        "framing.uneven_light", "framing.good"}) {
    const CatalogueEntry& entry = LookupMessage(code);
    hints[code] = {{"message", entry.message}, {"hint", entry.hint}};
  }
  body["framing"].as_object()["hints"] = std::move(hints);
  HttpResponse response = JsonResponse(context, http::status::ok, body);
  response.set(http::field::cache_control, "public, max-age=60");
  return response;
}

// The catalogue's labels grouped: {"state": {"verified": "采集完成", …}, "event": {…}, …}.
HttpResponse CandidateApi::Labels(RequestContext& context) {
  json::object body;
  for (const LabelEntry& label : AllLabels()) {
    json::value& group = body[label.group];
    if (!group.is_object()) group = json::object{};
    group.as_object()[label.key] = label.text;
  }
  HttpResponse response = JsonResponse(context, http::status::ok, body);
  response.set(http::field::cache_control, "public, max-age=300");
  return response;
}

HttpResponse CandidateApi::Agreement(RequestContext& context) {
  const std::string_view name = context.Param("name");
  if (name != "user" && name != "privacy") {
    return ErrorResponse(context, MakeError(ErrorKind::kNotFound, "request.not_found"));
  }
  const std::string_view* text =
      documents::FindEmbedded("config/agreements/" + std::string(name) + ".txt");
  std::string body = FormatMessage(std::string(*text), "office_phone", settings_.office_phone);
  const bool user = name == "user";
  return JsonResponse(
      context, http::status::ok,
      {{"version", user ? settings_.user_agreement_version : settings_.privacy_agreement_version},
       {"title", CatalogueText(user ? "text.agreement.user" : "text.agreement.privacy")},
       {"text", body}});
}

// Messages that send the candidate to the office name its phone (the deployment's setting).
Error CandidateApi::WithOfficePhone(Error error) const {
  error.message = FormatMessage(std::move(error.message), "office_phone", settings_.office_phone);
  error.hint = FormatMessage(std::move(error.hint), "office_phone", settings_.office_phone);
  return error;
}

HttpResponse CandidateApi::SendCode(RequestContext& context) {
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  auto phone = RequiredString(*body, "phone", 32);
  if (!phone.ok()) return ErrorResponse(context, phone.error());
  auto sent = login_.SendCode(*phone, context.client_ip);
  if (!sent.ok()) return ErrorResponse(context, WithOfficePhone(sent.error()));
  return JsonResponse(context, http::status::ok,
                      {{"resend_after_seconds", sent->resend_after_seconds},
                       {"expires_in_seconds", sent->expires_in_seconds}});
}

HttpResponse CandidateApi::Login(RequestContext& context) {
  auto body = ParseJsonObject(context);
  if (!body.ok()) return ErrorResponse(context, body.error());
  auto phone = RequiredString(*body, "phone", 32);
  if (!phone.ok()) return ErrorResponse(context, phone.error());
  auto code = RequiredString(*body, "code", 16);
  if (!code.ok()) return ErrorResponse(context, code.error());
  AgreementVersions accepted;
  if (const auto* agreements = body->if_contains("agreements")) {
    if (!agreements->is_object()) return ErrorResponse(context, InvalidField("agreements"));
    for (auto [key, target] :
         {std::pair{"user", &accepted.user}, std::pair{"privacy", &accepted.privacy}}) {
      if (const auto* version = agreements->as_object().if_contains(key)) {
        if (!version->is_string()) return ErrorResponse(context, InvalidField("agreements"));
        *target = std::string(version->as_string());
      }
    }
  }
  auto success = login_.Login(*phone, *code, accepted, context.client_ip);
  if (!success.ok()) return ErrorResponse(context, WithOfficePhone(success.error()));
  return JsonResponse(context, http::status::ok,
                      {{"token", success->token},
                       {"expires_at", IsoTime(success->expires_at)},
                       {"state", ToString(success->state)}});
}

HttpResponse CandidateApi::Logout(RequestContext& context) {
  if (Status out = login_.Logout(BearerToken(context)); !out.ok()) {
    return ErrorResponse(context, out.error());
  }
  return NoContent(context);
}

HttpResponse CandidateApi::DevOutbox(RequestContext& context) {
  json::array messages;
  for (const SmsMessage& m : dev_outbox_->Outbox(context.QueryParam("phone"))) {
    messages.push_back(
        {{"phone", m.phone}, {"code", m.code}, {"text", m.text}, {"sent_at", IsoTime(m.sent_at)}});
  }
  return JsonResponse(context, http::status::ok, {{"messages", messages}});
}

}  // namespace examphoto
