// The candidate's collection steps over HTTP (/api/v1/me/...): the two ID card sides,
// 确认无误 / 重新录入, the portrait upload and its finished photo, 重新拍照, 提交照片 and
// 同意并提交. Image uploads are raw bodies (Content-Type image/*) handled on the worker
// pool. Every response carries the collection view so the app can move to the next screen.
#pragma once

#include <functional>

#include "domain/config_section.h"
#include "http/router.h"
#include "service/collection_service.h"

namespace examphoto {

struct CollectionApiOptions {
  size_t max_upload_bytes = size_t{15} * 1024 * 1024;  // a phone's photo with room to spare
  // Section "http": max_upload_bytes.
  static Result<CollectionApiOptions> FromConfig(const ConfigSection& section);
};

class CollectionApi {
 public:
  // `on_queued` is called after a verification job was queued (wakes the workers).
  CollectionApi(CollectionService& collections, std::function<void()> on_queued,
                CollectionApiOptions options = {})
      : collections_(collections),
        on_queued_(std::move(on_queued)),
        max_upload_bytes_(options.max_upload_bytes) {}
  void Register(Router& router);

 private:
  HttpResponse Me(RequestContext& context);
  HttpResponse UploadPortraitSide(RequestContext& context);
  HttpResponse UploadEmblemSide(RequestContext& context);
  HttpResponse ConfirmIdentity(RequestContext& context);
  HttpResponse ReenterIdCard(RequestContext& context);
  HttpResponse UploadPhoto(RequestContext& context);
  HttpResponse PhotoImage(RequestContext& context);
  HttpResponse CardImage(RequestContext& context);
  HttpResponse RetakePhoto(RequestContext& context);
  HttpResponse SubmitPhoto(RequestContext& context);
  HttpResponse ConsentAndSubmit(RequestContext& context);
  HttpResponse UploadIdCard(RequestContext& context, CardSide side);
  // Answers with the collection after `step`, or its error.
  HttpResponse Respond(RequestContext& context, const Result<CollectionSnapshot>& step);

  CollectionService& collections_;
  std::function<void()> on_queued_;
  size_t max_upload_bytes_;
};

}  // namespace examphoto
