// The office's use cases on both engines: keyset search, the correction that unblocks a
// mismatched candidate, resets, manual photo decisions, the export ZIP, the dashboard's
// ranking, and the audit log that the database itself keeps append-only.
#include "service/office_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "domain/china_time.h"
#include "domain/id_number.h"
#include "service/collection_service.h"
#include "service/office_export.h"
#include "service/zip_stream_writer.h"
#include "storage/candidate_repository.h"
#include "storage/collection_repository.h"
#include "storage/migrator.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::FakeClock;
using testing::TestDatabase;
namespace json = boost::json;

std::string ValidIdNumber(int i) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "11010519900%d%02d%03d", 1 + i % 9, 1 + i % 28, i % 1000);
  return std::string(first17) + IdNumberCheckCharacter(first17);
}

// Entry names from a ZIP's central directory (classic records; the ZIP64 test uses unzip).
std::vector<std::string> ZipNames(const std::string& zip) {
  const size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  auto u16 = [&](size_t at) {
    return static_cast<uint8_t>(zip[at]) | static_cast<uint8_t>(zip[at + 1]) << 8;
  };
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(u16(at)) | static_cast<uint32_t>(u16(at + 2)) << 16;
  };
  std::vector<std::string> names;
  size_t offset = u32(eocd + 16);
  for (int i = 0; i < u16(eocd + 10); ++i) {
    const size_t name_length = u16(offset + 28);
    names.push_back(zip.substr(offset + 46, name_length));
    offset += 46 + name_length + u16(offset + 30) + u16(offset + 32);
  }
  return names;
}

class OfficeServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MigrateToLatest(db_.database());
    folder_ = std::filesystem::temp_directory_path() /
              ("office-blobs-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
    blobs_ = std::make_unique<FileBlobStore>(folder_);
    office_ = std::make_unique<OfficeService>(db_.database(), *blobs_, clock_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  int64_t AddCandidate(int i, std::string name = "") {
    Candidate c;
    c.registration_no = "R" + std::to_string(100000 + i);
    c.name = name.empty() ? std::string(i % 2 ? "王" : "李") + "考生" + std::to_string(i) : name;
    c.id_number = ValidIdNumber(i);
    c.phone = "139" + std::to_string(10000000 + i);
    c.exam_session = "2026-10";
    PooledConnection connection = db_.database().Acquire();
    return CandidateRepository(*connection).Insert(c, clock_.NowMillis());
  }

  void SetCollection(int64_t id, CollectionState state,
                     std::optional<CardSideRecord> portrait_side = std::nullopt,
                     std::optional<int64_t> attempt = std::nullopt) {
    PooledConnection connection = db_.database().Acquire();
    CollectionRepository collections(*connection);
    CollectionRecord record = collections.GetOrCreate(id, clock_.NowMillis());
    record.state = state;
    record.portrait_side = std::move(portrait_side);
    record.photo_attempt_id = attempt;
    collections.Save(record, clock_.NowMillis());
  }

  CollectionRecord Collection(int64_t id) {
    PooledConnection connection = db_.database().Acquire();
    return CollectionRepository(*connection).GetOrCreate(id, 0);
  }

  int64_t AddAttempt(int64_t candidate, bool passed, const std::string& report,
                     const std::string& photo) {
    const std::string key =
        "photo/c" + std::to_string(candidate) + "-" + std::to_string(++attempts_);
    blobs_->Put(key, photo);
    PooledConnection connection = db_.database().Acquire();
    return connection
        ->Query(
            "INSERT INTO photo_attempts (candidate_id, created_at, passed, report, upload_key, "
            "photo_key) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            {candidate, clock_.NowMillis(), int64_t{passed}, report, key, key})
        .front()
        .Int(0);
  }

  int64_t CountAudit(std::string_view action) {
    PooledConnection connection = db_.database().Acquire();
    return connection->Query("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action})
        .front()
        .Int(0);
  }

  TestDatabase db_;
  FakeClock clock_;
  std::filesystem::path folder_;
  std::unique_ptr<FileBlobStore> blobs_;
  std::unique_ptr<OfficeService> office_;
  StaffActor actor_{"clerk", "operator", "10.0.0.9"};
  int attempts_ = 0;
};

TEST_F(OfficeServiceTest, PagesThroughTheRosterWithKeysetCursorsWithoutRepeats) {
  for (int i = 0; i < 25; ++i) AddCandidate(i);
  std::vector<int64_t> seen;
  CandidateSearch search;
  search.limit = 10;
  for (int page = 0; page < 5; ++page) {
    auto result = office_->Search(actor_, search);
    ASSERT_TRUE(result.ok()) << result.error().code;
    for (const auto& item : result->items) seen.push_back(item.candidate.id);
    if (result->next.empty()) break;
    search.after = result->next;
  }
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 25u);
}

TEST_F(OfficeServiceTest, FindsByNamePrefixPhoneIdNumberAndState) {
  for (int i = 0; i < 12; ++i) AddCandidate(i);
  const int64_t ouyang = AddCandidate(50, "欧阳娜娜");
  SetCollection(ouyang, CollectionState::kIdentityMismatch);
  auto find = [&](std::string query, std::string state = "", int limit = 50) {
    CandidateSearch search;
    search.query = std::move(query);
    search.state = std::move(state);
    search.limit = limit;
    auto result = office_->Search(actor_, search);
    EXPECT_TRUE(result.ok());
    return result->items;
  };
  EXPECT_EQ(find("王").size(), 6u);
  EXPECT_EQ(find("欧阳").size(), 1u);
  EXPECT_EQ(find("阳").size(), 0u);  // a prefix, not a substring
  EXPECT_EQ(find("13910000003").at(0).candidate.registration_no, "R100003");
  std::string lower = ValidIdNumber(4);
  EXPECT_EQ(find(lower).at(0).candidate.registration_no, "R100004");
  auto mismatched = find("", "identity_mismatch");
  ASSERT_EQ(mismatched.size(), 1u);
  EXPECT_EQ(mismatched.at(0).candidate.id, ouyang);
  EXPECT_EQ(mismatched.at(0).state, CollectionState::kIdentityMismatch);
  EXPECT_EQ(find("", "not_started").size(), 12u);
  // Name pages of one walk every match.
  CandidateSearch search;
  search.query = "李";
  search.limit = 1;
  int pages = 0;
  for (;; ++pages) {
    auto result = office_->Search(actor_, search);
    ASSERT_TRUE(result.ok());
    if (result->next.empty()) break;
    search.after = result->next;
  }
  EXPECT_EQ(pages + 1, 6);
  search.after = "not-hex";
  EXPECT_EQ(office_->Search(actor_, search).error().code, "office.invalid_cursor");
  search.after.clear();
  search.state = "flying";
  EXPECT_EQ(office_->Search(actor_, search).error().code, "office.invalid_state");
}

TEST_F(OfficeServiceTest, CorrectionLetsAMismatchedCandidateConfirmAgain) {
  const int64_t id = AddCandidate(1, "张三");
  const CardSideRecord card{true, {{"name", "张叁"}, {"id_number", ValidIdNumber(1)}}, {}, {}};
  SetCollection(id, CollectionState::kIdCardUploaded, card);
  CollectionService collections(db_.database(), *blobs_, clock_, nullptr, nullptr);
  ASSERT_EQ(collections.ConfirmIdentity(id)->record.state, CollectionState::kIdentityMismatch);

  RecordCorrection correction;
  correction.name = "张叁";
  EXPECT_EQ(office_->CorrectRecord(actor_, id, correction, " ").error().code,
            "office.reason_required");
  auto corrected = office_->CorrectRecord(actor_, id, correction, "核对身份证原件，报名姓名有误");
  ASSERT_TRUE(corrected.ok()) << corrected.error().code;
  EXPECT_EQ(corrected->candidate.name, "张叁");

  auto confirmed = collections.ConfirmIdentity(id);
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->record.state, CollectionState::kIdentityConfirmed);
  EXPECT_EQ(CountAudit("correct_record"), 1);
}

TEST_F(OfficeServiceTest, CorrectionValidatesAndRefusesNumbersOfAnotherCandidate) {
  const int64_t id = AddCandidate(1);
  AddCandidate(2);
  RecordCorrection bad_id;
  bad_id.id_number = "110105199001010000";
  EXPECT_EQ(office_->CorrectRecord(actor_, id, bad_id, "更正号码").error().code,
            "idnumber.check_digit");
  RecordCorrection taken;
  taken.phone = "13910000002";
  EXPECT_EQ(office_->CorrectRecord(actor_, id, taken, "更正号码").error().code,
            "office.phone_taken");
  RecordCorrection same;
  same.phone = "13910000001";
  EXPECT_EQ(office_->CorrectRecord(actor_, id, same, "更正号码").error().code,
            "office.nothing_to_change");
  EXPECT_EQ(CountAudit("correct_record"), 0);
}

TEST_F(OfficeServiceTest, ResetsToAChosenStepOnly) {
  const int64_t id = AddCandidate(1);
  const int64_t attempt = AddAttempt(id, true, "[]", "jpeg");
  SetCollection(id, CollectionState::kVerified, CardSideRecord{}, attempt);
  EXPECT_EQ(office_->ResetCollection(actor_, id, "verified", "重新采集").error().code,
            "office.reset_target");
  auto to_photo = office_->ResetCollection(actor_, id, "identity_confirmed", "考生要求重新拍照");
  ASSERT_TRUE(to_photo.ok());
  auto record = Collection(id);
  EXPECT_EQ(record.state, CollectionState::kIdentityConfirmed);
  EXPECT_FALSE(record.photo_attempt_id);
  EXPECT_TRUE(record.portrait_side);
  ASSERT_TRUE(office_->ResetCollection(actor_, id, "id_card_pending", "身份证换新").ok());
  record = Collection(id);
  EXPECT_EQ(record.state, CollectionState::kIdCardPending);
  EXPECT_FALSE(record.portrait_side);
  EXPECT_EQ(office_->ResetCollection(actor_, id, "identity_confirmed", "重新拍照").error().code,
            "office.reset_needs_identity");
  EXPECT_EQ(CountAudit("reset_collection"), 2);
}

TEST_F(OfficeServiceTest, AcceptedPhotosAreExportedNamedByTheChosenKey) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(AddCandidate(i));
    SetCollection(ids.back(), CollectionState::kPhotoRejected, CardSideRecord{});
  }
  const int64_t first = AddAttempt(ids[0], false, R"([{"code":"photo.too_dark"}])", "photo-0");
  const int64_t second = AddAttempt(ids[1], false, R"([{"code":"photo.too_dark"}])", "photo-1");
  EXPECT_EQ(office_->DecidePhoto(actor_, ids[0], second, "accept", "人工审核").error().code,
            "office.attempt_not_found");
  ASSERT_TRUE(office_->DecidePhoto(actor_, ids[0], first, "accept", "光线可接受，人工通过").ok());
  ASSERT_TRUE(office_->DecidePhoto(actor_, ids[1], second, "accept", "光线可接受，人工通过").ok());
  ASSERT_TRUE(office_->DecidePhoto(actor_, ids[1], second, "reject", "戴帽子").ok());
  EXPECT_EQ(Collection(ids[1]).state, CollectionState::kVerificationFailed);

  OfficeExport exports(db_.database(), *blobs_);
  std::string zip;
  auto summary = exports.WritePhotosZip("registration_no", "", clock_.NowMillis(),
                                        [&](std::string_view bytes) {
                                          zip.append(bytes);
                                          return true;
                                        });
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->photos, 1);
  EXPECT_EQ(ZipNames(zip), std::vector<std::string>{"R100000.jpg"});
  EXPECT_NE(zip.find("photo-0"), std::string::npos);
  std::string csv;
  EXPECT_EQ(*exports.WriteReportCsv([&](std::string_view bytes) {
    csv.append(bytes);
    return true;
  }),
            3);
  // The status column speaks Chinese, from the catalogue: no raw state codes in exports.
  EXPECT_NE(csv.find("\"采集完成\",\"是\""), std::string::npos);
  EXPECT_EQ(csv.find("verified"), std::string::npos);
  EXPECT_EQ(csv.find("not_started"), std::string::npos);
  EXPECT_EQ(exports.ReportXlsx()->substr(0, 2), "PK");
}

TEST_F(OfficeServiceTest, DashboardRanksRejectionReasonsAndCountsStates) {
  const int64_t a = AddCandidate(1), b = AddCandidate(2);
  AddCandidate(3);
  SetCollection(a, CollectionState::kPhotoRejected);
  SetCollection(b, CollectionState::kVerified);
  AddAttempt(a, false, R"([{"code":"photo.too_dark"},{"code":"photo.blurred"}])", "x");
  AddAttempt(a, false, R"([{"code":"photo.too_dark"}])", "x");
  AddAttempt(b, true, "[]", "x");
  ProgressDashboard dashboard = *office_->Dashboard(7);
  EXPECT_EQ(dashboard.total, 3);
  EXPECT_EQ(dashboard.states.at("not_started"), 1);
  EXPECT_EQ(dashboard.states.at("verified"), 1);
  ASSERT_EQ(dashboard.days.size(), 7u);
  EXPECT_EQ(dashboard.days.back().photos, 3);
  EXPECT_EQ(dashboard.days.back().date, ChinaDate(clock_.NowMillis()).ToIso());
  EXPECT_EQ(dashboard.failed_attempts, 2);
  const auto& reasons = dashboard.rejection_reasons;
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0].code, "photo.too_dark");
  EXPECT_EQ(reasons[0].count, 2);
}

TEST_F(OfficeServiceTest, TheDatabaseRefusesToChangeOrDeleteAuditRows) {
  const int64_t id = AddCandidate(1);
  ASSERT_TRUE(office_->Detail(actor_, id).ok());
  EXPECT_EQ(CountAudit("view_candidate"), 1);
  PooledConnection connection = db_.database().Acquire();
  EXPECT_THROW(connection->Execute("UPDATE audit_log SET reason = 'x'"), DatabaseError);
  EXPECT_THROW(connection->Execute("DELETE FROM audit_log"), DatabaseError);
  EXPECT_EQ(connection->Query("SELECT COUNT(*) FROM audit_log").front().Int(0), 1);
}

// Security finding F9: reads of personal data are accountable. A search is recorded with what
// was searched for; opening a dossier is one entry, and the images shown in it add none; an
// image fetched outside a dossier (no view id, another actor's, or a stale one) is its own.
TEST_F(OfficeServiceTest, ReadsOfPersonalDataAreAuditedOncePerDossier) {
  const int64_t id = AddCandidate(1);
  const int64_t first = AddAttempt(id, false, "[]", "jpeg-1");
  const int64_t second = AddAttempt(id, true, "[]", "jpeg-2");

  CandidateSearch search;
  search.query = ValidIdNumber(1);
  ASSERT_TRUE(office_->Search(actor_, search).ok());
  ASSERT_EQ(CountAudit("search_candidates"), 1);
  {
    PooledConnection connection = db_.database().Acquire();
    const std::string detail =
        connection->Query("SELECT detail FROM audit_log WHERE action = 'search_candidates'")
            .front()
            .Text(0);
    EXPECT_NE(detail.find(ValidIdNumber(1)), std::string::npos) << detail;
  }

  auto dossier = office_->Detail(actor_, id);
  ASSERT_TRUE(dossier.ok());
  const int64_t view = dossier->view_id;
  EXPECT_GT(view, 0);
  ASSERT_EQ(dossier->photo_attempts.size(), 2u);
  for (int64_t attempt : {first, second, first, second}) {
    ASSERT_TRUE(office_->Image(actor_, id, "photo", attempt, view).ok());
    ASSERT_TRUE(office_->Image(actor_, id, "photo_upload", attempt, view).ok());
  }
  EXPECT_EQ(CountAudit("view_candidate"), 1);
  EXPECT_EQ(CountAudit("view_photo"), 0);

  ASSERT_TRUE(office_->Image(actor_, id, "photo", first, std::nullopt).ok());
  EXPECT_EQ(CountAudit("view_photo"), 1);
  const StaffActor other{"someone", "viewer", "10.0.0.10"};
  ASSERT_TRUE(office_->Image(other, id, "photo", first, view).ok());
  EXPECT_EQ(CountAudit("view_photo"), 2);
  const int64_t other_candidate = AddCandidate(2);
  const int64_t theirs = AddAttempt(other_candidate, true, "[]", "jpeg-3");
  ASSERT_TRUE(office_->Image(actor_, other_candidate, "photo", theirs, view).ok());
  EXPECT_EQ(CountAudit("view_photo"), 3);
  clock_.AdvanceSeconds(31 * 60);
  ASSERT_TRUE(office_->Image(actor_, id, "photo", first, view).ok());
  EXPECT_EQ(CountAudit("view_photo"), 4);

  AuditQuery query;
  query.candidate_id = id;
  const auto entries = office_->SearchAudit(query);
  ASSERT_TRUE(entries.ok());
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->front().registration_no, "R100001");
  EXPECT_FALSE(entries->front().candidate_name.empty());
}

TEST_F(OfficeServiceTest, TheAuditLogFiltersByDateRangeActorAndAction) {
  const int64_t id = AddCandidate(1);
  const int64_t day_one = clock_.NowMillis();
  ASSERT_TRUE(office_->Detail(actor_, id).ok());
  clock_.AdvanceSeconds(86400);
  ASSERT_TRUE(office_->Detail({"someone", "viewer", "10.0.0.10"}, id).ok());
  office_->Record(actor_, "export_report", "{}");

  AuditQuery first_day;
  first_day.from = day_one;
  first_day.until = day_one + 86400 * 1000;
  ASSERT_EQ(office_->SearchAudit(first_day)->size(), 1u);
  EXPECT_EQ(office_->SearchAudit(first_day)->front().actor, "clerk");
  AuditQuery by_actor;
  by_actor.actor = "someone";
  EXPECT_EQ(office_->SearchAudit(by_actor)->size(), 1u);
  AuditQuery by_action;
  by_action.action = "export_report";
  by_action.actor = "clerk";
  EXPECT_EQ(office_->SearchAudit(by_action)->size(), 1u);
  AuditQuery later;
  later.from = day_one + 1;
  EXPECT_EQ(office_->SearchAudit(later)->size(), 2u);
}

TEST(ZipStreamWriterTest, WritesZip64WhenEntriesPassTheClassicLimit) {
  const auto path =
      std::filesystem::temp_directory_path() / ("zip64-" + std::to_string(::getpid()) + ".zip");
  {
    std::ofstream out(path, std::ios::binary);
    ZipStreamWriter zip(
        [&](std::string_view bytes) {
          out.write(bytes.data(), bytes.size());
          return true;
        },
        0);
    for (int i = 0; i < 70000; ++i) zip.Add("p" + std::to_string(i) + ".jpg", "x");
    zip.Finish();
    EXPECT_EQ(zip.entries(), 70000u);
  }
  // unzip reads the ZIP64 end records and checks every CRC.
  const std::string command = "unzip -tqq " + path.string() + " > /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace examphoto
