// The API's JSON views of the typed records the services return: the candidate's collection
// (GET /me and every step), and the office console's search pages, dashboard, candidate
// file and audit entries. The wire shape is documented in docs/openapi.yaml; it is built
// here only, from the types, so storage may keep its columns as it likes. Catalogue texts
// (a verification outcome's words, a rejection reason's message) are looked up when shown.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "domain/collection_data.h"
#include "service/collection_service.h"
#include "service/office_service.h"

namespace examphoto::views {

boost::json::array Issues(const std::vector<ReportedIssue>& issues);
boost::json::object CardSide(const CardSideRecord& side);
boost::json::object Mismatch(const IdentityMismatch& mismatch);
boost::json::object Verification(const VerificationResult& result);

// The candidate's collection (the Collection schema).
boost::json::object Collection(const CollectionSnapshot& snapshot);
// The URL of an attempt's finished photo for the candidate, or null.
boost::json::value CandidatePhotoUrl(const PhotoAttemptRecord& attempt);

boost::json::object Candidate(const examphoto::Candidate& candidate);
boost::json::object SearchPage(const CandidateSearchPage& page);
boost::json::object Dashboard(const ProgressDashboard& dashboard);
boost::json::object CandidateFile(const examphoto::CandidateFile& file);
boost::json::object AuditEntry(const examphoto::AuditEntry& entry);

}  // namespace examphoto::views
