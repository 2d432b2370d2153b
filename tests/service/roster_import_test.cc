#include <gtest/gtest.h>

#include "service/roster_import_service.h"
#include "storage/candidate_repository.h"
#include "support/test_database.h"

namespace examphoto {
namespace {

using testing::FakeClock;
using testing::TestDatabase;

constexpr const char* kHeader = "报名号,姓名,身份证号,手机号,考试批次\n";
constexpr const char* kZhang = "R1,张三,11010519491231002X,13900000001,2026-10\n";
constexpr const char* kLi = "R2,李四,110105199003071239,13900000002,2026-10\n";

class RosterImportTest : public ::testing::Test {
 protected:
  Result<RosterImportReport> Import(const std::string& text, bool dry_run = false) {
    return service_.Import(text, "roster.csv", "test", dry_run);
  }
  CandidateRepository Candidates() {
    connection_ = std::make_unique<PooledConnection>(db_.database().Acquire());
    return CandidateRepository(**connection_);
  }
  int64_t Count() { return Candidates().Count(); }

  TestDatabase db_;
  FakeClock clock_;
  RosterImportService service_{db_.database(), clock_};
  std::unique_ptr<PooledConnection> connection_;  // the one Candidates() reads through
};

TEST_F(RosterImportTest, ImportsValidRows) {
  auto report = Import(std::string(kHeader) + kZhang + kLi);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->applied);
  EXPECT_EQ(report->inserted, 2);
  EXPECT_EQ(Count(), 2);
  auto stored = Candidates().FindByPhone("13900000001");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "张三");
}

TEST_F(RosterImportTest, ReimportingTheSameFileChangesNothing) {
  ASSERT_TRUE(Import(std::string(kHeader) + kZhang + kLi)->applied);
  auto again = Import(std::string(kHeader) + kZhang + kLi);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 2);
  auto c = db_.database().Acquire();
  EXPECT_EQ(c->Query("SELECT COUNT(*) FROM roster_imports")[0].Int(0), 1);
}

TEST_F(RosterImportTest, AnUpdatedFileUpdatesRecords) {
  ASSERT_TRUE(Import(std::string(kHeader) + kZhang + kLi)->applied);
  auto report =
      Import(std::string(kHeader) + "R1,张三丰,11010519491231002X,13900000009,2026-10\n" + kLi);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->updated, 1);
  EXPECT_EQ(report->unchanged, 1);
  auto stored = Candidates().FindByPhone("13900000009");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->name, "张三丰");
}

TEST_F(RosterImportTest, TwoCandidatesMayExchangePhones) {
  ASSERT_TRUE(Import(std::string(kHeader) + kZhang + kLi)->applied);
  auto report = Import(std::string(kHeader) +
                       "R1,张三,11010519491231002X,13900000002,2026-10\n"
                       "R2,李四,110105199003071239,13900000001,2026-10\n");
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->applied) << (report->problems.empty() ? "" : report->problems[0].message);
  EXPECT_EQ(Candidates().FindByPhone("13900000002")->registration_no, "R1");
}

TEST_F(RosterImportTest, OneBadRowRejectsTheWholeFileWithARowByRowReport) {
  auto report = Import(std::string(kHeader) + kZhang +
                       "R2,李四,110105199003071230,13900000002,2026-10\n"  // check digit
                       "R3,王五,110105199002301234,1390000,2026-10\n"      // date and phone
                       "R4,,110105199003071239,13900000004,\n");           // name, session
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->applied);
  EXPECT_EQ(Count(), 0);
  std::vector<std::pair<int, std::string>> found;
  for (const auto& p : report->problems) found.emplace_back(p.row, p.code);
  EXPECT_EQ(found, (std::vector<std::pair<int, std::string>>{{3, "idnumber.check_digit"},
                                                             {4, "idnumber.birth_date"},
                                                             {4, "phone.format"},
                                                             {5, "roster.row.name"},
                                                             {5, "roster.row.session"}}));
  for (const auto& p : report->problems) EXPECT_FALSE(p.message.empty());
}

TEST_F(RosterImportTest, FindsDuplicatesInsideTheFile) {
  auto report =
      Import(std::string(kHeader) + kZhang + "R9,张三,11010519491231002X,13900000001,S\n");
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->applied);
  ASSERT_EQ(report->problems.size(), 2u);
  EXPECT_EQ(report->problems[0].code, "roster.row.duplicate_in_file");
  EXPECT_NE(report->problems[0].message.find("第2行"), std::string::npos);
}

TEST_F(RosterImportTest, FindsConflictsWithStoredRecords) {
  ASSERT_TRUE(Import(std::string(kHeader) + kZhang)->applied);
  auto report = Import(std::string(kHeader) + "R5,赵六,110105199003071239,13900000001,S\n");
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->applied);
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].code, "roster.row.conflict_in_database");
  EXPECT_NE(report->problems[0].message.find("R1"), std::string::npos);
  EXPECT_EQ(Count(), 1);
}

TEST_F(RosterImportTest, DryRunChangesNothing) {
  auto report = Import(std::string(kHeader) + kZhang, true);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->applied);
  EXPECT_EQ(report->inserted, 1);
  EXPECT_EQ(Count(), 0);
}

TEST_F(RosterImportTest, ReadsGbkFilesAsExcelSavesThem) {
  // The same two-row file, in GBK: header and names are two-byte characters.
  const std::string gbk =
      "\xB1\xA8\xC3\xFB\xBA\xC5,\xD0\xD5\xC3\xFB,\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,"
      "\xCA\xD6\xBB\xFA\xBA\xC5,\xBF\xBC\xCA\xD4\xC5\xFA\xB4\xCE\r\n"
      "R1,\xD5\xC5\xC8\xFD,11010519491231002X,13900000001,2026-10\r\n";
  auto report = Import(gbk);
  ASSERT_TRUE(report.ok()) << report.error().code;
  EXPECT_TRUE(report->applied);
  EXPECT_EQ(Candidates().FindByPhone("13900000001")->name, "张三");
}

TEST_F(RosterImportTest, FileLevelProblemsAreErrors) {
  EXPECT_EQ(Import("").error().code, "roster.file_empty");
  EXPECT_EQ(Import("a,b,c\n1,2,3\n").error().code, "roster.header");
}

}  // namespace
}  // namespace examphoto
