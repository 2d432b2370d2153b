// The router: patterns and parameters, 405 with Allow, HEAD on GET routes, and the access a
// route declares, checked before its handler runs.
#include "http/router.h"

#include <gtest/gtest.h>

#include "domain/messages.h"
#include "http/responses.h"

namespace examphoto {
namespace {

namespace http = boost::beast::http;

// Lets a bearer token "candidate-7" in as candidate 7 and "staff-<role>" as staff of that
// role; anything else is 401. Records what it was asked.
class FakeAccess : public AccessControl {
 public:
  Result<Caller> Check(const RequestContext& context, Access access) const override {
    ++checks;
    const std::string token = BearerToken(context);
    if (token == "candidate-7") {
      if (access != Access::kCandidate) {
        return MakeError(ErrorKind::kForbidden, "staff.candidate_token");
      }
      return Caller{7, "", ""};
    }
    if (token.rfind("staff-", 0) == 0) {
      if (access == Access::kCandidate) {
        return MakeError(ErrorKind::kForbidden, "auth.staff_token_on_candidate_api");
      }
      const std::string role = token.substr(6);
      const int rank = role == "admin" ? 2 : role == "operator" ? 1 : 0;
      const int needed = access == Access::kStaffAdmin      ? 2
                         : access == Access::kStaffOperator ? 1
                                                            : 0;
      if (rank < needed) return MakeError(ErrorKind::kForbidden, "staff.role_insufficient");
      return Caller{0, "clerk", role};
    }
    return MakeError(ErrorKind::kUnauthenticated, "auth.session_required");
  }
  mutable int checks = 0;
};

class RouterTest : public ::testing::Test {
 protected:
  // Runs the request through the matching route, as the server does.
  HttpResponse Call(http::verb method, const std::string& path, const std::string& token = "") {
    HttpRequest request{method, path, 11};
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    Router::Match match = router_.Find(method, path);
    EXPECT_TRUE(match.route) << path;
    RequestContext context{request, "127.0.0.1", path, "", std::move(match.params)};
    return match.route->handler(context);
  }

  FakeAccess access_;
  Router router_{&access_,
                 [](const RequestContext& c, const Error& e) { return ErrorResponse(c, e); }};
  int handled_ = 0;
  Caller seen_;
  Handler Record() {
    return [this](RequestContext& context) {
      ++handled_;
      seen_ = context.caller;
      return NoContent(context);
    };
  }
};

TEST_F(RouterTest, MatchesLiteralSegmentsAndParameters) {
  router_.Add(http::verb::get, "/api/v1/me/photos/{id}/image", Record());
  auto match = router_.Find(http::verb::get, "/api/v1/me/photos/42/image");
  ASSERT_TRUE(match.route);
  EXPECT_EQ(match.route->pattern, "/api/v1/me/photos/{id}/image");
  ASSERT_EQ(match.params.size(), 1u);
  EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>{"id", "42"}));
  EXPECT_FALSE(router_.Find(http::verb::get, "/api/v1/me/photos/42").route);
  EXPECT_FALSE(router_.Find(http::verb::get, "/api/v1/me/photos/42/image/x").route);
}

TEST_F(RouterTest, AnotherMethodOnAKnownPathListsTheAllowedOnes) {
  router_.Add(http::verb::get, "/api/v1/me", Record());
  router_.Add(http::verb::post, "/api/v1/me", Record());
  auto match = router_.Find(http::verb::delete_, "/api/v1/me");
  EXPECT_FALSE(match.route);
  EXPECT_TRUE(match.path_known);
  EXPECT_EQ(match.allowed, "GET, POST");
  EXPECT_TRUE(router_.Find(http::verb::head, "/api/v1/me").route);  // HEAD answers as GET
}

TEST_F(RouterTest, APublicRouteRunsWithoutAskingForACaller) {
  router_.Add(http::verb::get, "/healthz", Record());
  EXPECT_EQ(Call(http::verb::get, "/healthz").result(), http::status::no_content);
  EXPECT_EQ(handled_, 1);
  EXPECT_EQ(access_.checks, 0);
}

TEST_F(RouterTest, RefusesBeforeTheHandlerRunsAndGivesTheHandlerItsCaller) {
  router_.Add(http::verb::get, "/api/v1/me", Record(), {.access = Access::kCandidate});
  router_.Add(http::verb::get, "/api/v1/office/audit", Record(), {.access = Access::kStaffAdmin});
  router_.Add(http::verb::post, "/api/v1/office/import", Record(),
              {.access = Access::kStaffOperator});

  EXPECT_EQ(Call(http::verb::get, "/api/v1/me").result(), http::status::unauthorized);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/me", "staff-admin").result(), http::status::forbidden);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/office/audit", "candidate-7").result(),
            http::status::forbidden);
  EXPECT_EQ(Call(http::verb::get, "/api/v1/office/audit", "staff-operator").result(),
            http::status::forbidden);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/office/import", "staff-viewer").result(),
            http::status::forbidden);
  EXPECT_EQ(handled_, 0);

  EXPECT_EQ(Call(http::verb::get, "/api/v1/me", "candidate-7").result(), http::status::no_content);
  EXPECT_EQ(seen_.candidate_id, 7);
  EXPECT_EQ(Call(http::verb::post, "/api/v1/office/import", "staff-operator").result(),
            http::status::no_content);
  EXPECT_EQ(seen_.staff_username, "clerk");
  EXPECT_EQ(seen_.staff_role, "operator");
  EXPECT_EQ(handled_, 2);
}

TEST_F(RouterTest, ARefusalHasTheSharedErrorShape) {
  router_.Add(http::verb::get, "/api/v1/me", Record(), {.access = Access::kCandidate});
  HttpResponse response = Call(http::verb::get, "/api/v1/me", "nobody");
  EXPECT_EQ(response.result(), http::status::unauthorized);
  auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("error").at("code").as_string(), "auth.session_required");
  EXPECT_EQ(body.at("error").at("message").as_string(),
            LookupMessage("auth.session_required").message);
}

TEST(RouterWithoutAccess, RefusesToRegisterARouteThatNeedsACaller) {
  Router router;
  EXPECT_THROW(
      router.Add(http::verb::get, "/api/v1/me", [](RequestContext& c) { return NoContent(c); },
                 {.access = Access::kCandidate}),
      std::logic_error);
}

}  // namespace
}  // namespace examphoto
