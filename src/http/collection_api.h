// The candidate's collection steps over HTTP (/api/v1/me/...): the two ID card sides,
// 确认无误 / 重新录入, the portrait upload and its finished photo, 重新拍照, 提交照片 and
// 同意并提交. Image uploads are raw bodies (Content-Type image/*) handled on the worker
// pool. Every response carries the collection view so the app can move to the next screen.
#pragma once

#include <functional>

#include "http/candidate_api.h"
#include "service/collection_service.h"

namespace examphoto {

class CollectionApi {
 public:
  // `on_queued` is called after a verification job was queued (wakes the workers).
  CollectionApi(CandidateApi& candidates, CollectionService& collections,
                std::function<void()> on_queued, size_t max_upload_bytes)
      : candidates_(candidates),
        collections_(collections),
        on_queued_(std::move(on_queued)),
        max_upload_bytes_(max_upload_bytes) {}
  void Register(Router& router);

 private:
  HttpResponse UploadIdCard(RequestContext& context, CardSide side);
  HttpResponse UploadPhoto(RequestContext& context);
  HttpResponse PhotoImage(RequestContext& context);
  HttpResponse CardImage(RequestContext& context);
  HttpResponse Step(RequestContext& context,
                    const std::function<Result<CollectionSnapshot>(int64_t)>& step);

  CandidateApi& candidates_;
  CollectionService& collections_;
  std::function<void()> on_queued_;
  size_t max_upload_bytes_;
};

// The full /me view: CollectionView plus the latest photo attempt.
boost::json::object FullCollectionView(const CollectionSnapshot& snapshot);

}  // namespace examphoto
