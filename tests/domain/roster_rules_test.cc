#include "domain/roster_rules.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

const CalendarDate kToday{2026, 11, 25};

Candidate Row(std::string name, std::string session = "2026-10") {
  return {0, "R0001", std::move(name), "110105199003071239", "13900000001", std::move(session)};
}

std::vector<std::pair<std::string, std::string>> Problems(Candidate row) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : ValidateRosterRow(2, row, kToday)) out.emplace_back(p.column, p.code);
  return out;
}

TEST(RosterRules, AcceptsAPlainRowAndTrimsIt) {
  Candidate row = Row("\xE3\x80\x80欧阳晓雯 ", " 2026-10\t");
  EXPECT_TRUE(ValidateRosterRow(2, row, kToday).empty());
  EXPECT_EQ(row.name, "欧阳晓雯");
  EXPECT_EQ(row.exam_session, "2026-10");
}

// Security finding F14: names reach the office console, exports and logs; control
// characters, NUL and bidirectional overrides are refused with a row-level problem.
TEST(RosterRules, RefusesControlCharactersNulAndBidiOverridesInNames) {
  using Expected = std::vector<std::pair<std::string, std::string>>;
  const Expected name_problem{{"name", "roster.row.name_characters"}};
  EXPECT_EQ(Problems(Row(std::string("张\0三", 4))), name_problem);
  EXPECT_EQ(Problems(Row("张\n三")), name_problem);
  EXPECT_EQ(Problems(Row("\xE2\x80\xAE"
                         "三张")),
            name_problem);                                     // U+202E
  EXPECT_EQ(Problems(Row("张\xE2\x81\xA7三")), name_problem);  // U+2067
  EXPECT_EQ(Problems(Row("张\xE2\x80\x8B三")), name_problem);  // U+200B
  EXPECT_EQ(Problems(Row("王五", "2026\xE2\x80\xAE-10")),
            (Expected{{"exam_session", "roster.row.session_characters"}}));
}

}  // namespace
}  // namespace examphoto
