// Everything the binary's commands read from the configuration, each part parsed by its own
// component's FromConfig (the one place each default is written): the storage's, the
// services', the HTTP server's, the image cores'. Parsing an empty configuration yields the
// schema of every key with its default (ConfigSchema), which `examphoto config show`
// prints and docs/configuration.md lists.
#pragma once

#include <filesystem>
#include <string>

#include "app/image_cores.h"
#include "app/layout.h"
#include "domain/config_section.h"
#include "http/collection_api.h"
#include "http/http_server.h"
#include "http/public_settings.h"
#include "http/static_files.h"
#include "service/collection_service.h"
#include "service/login_service.h"
#include "service/staff_service.h"
#include "service/verification_worker.h"
#include "sms/sms_gateway.h"
#include "storage/blob_store.h"
#include "storage/database.h"
#include "verification/http_identity_verifier.h"

namespace examphoto {

// The binary's own settings (top-level keys).
struct AppOptions {
  std::filesystem::path data_dir = "data";  // SQLite file, file blobs, secret.key, caches
  bool dev_mode = false;                    // GET /api/v1/dev/sms-outbox; never in production
  bool demo_roster = false;                 // load the marked demo roster at start
  std::string secret_key;  // the SMS-code HMAC key; "" : generated into data_dir/secret.key
  std::string log_level = "info";
  std::string verification_provider = "local";  // "local" (face vs ID card) or "http"
  static Result<AppOptions> FromConfig(const ConfigSection& root);
};

struct Settings {
  AppOptions app;
  DatabaseOptions database;
  BlobStoreOptions blobs;
  LoginSettings login;
  StaffOptions staff;
  SmsGatewayOptions sms;
  PublicSettings public_settings;
  HttpServerOptions http;
  CollectionApiOptions collection_api;
  UploadLimits uploads;
  WebOptions web;
  ImageCoreOptions image_cores;
  VerificationWorkerOptions verification_workers;
  HttpIdentityVerifierOptions identity_platform;

  static Result<Settings> FromConfig(const ConfigSection& root, const InstallLayout& layout);
};

// Every key with its default, from parsing an empty configuration.
ConfigSchema SettingsSchema(const InstallLayout& layout);

}  // namespace examphoto
