#include "domain/messages.h"

#include <gtest/gtest.h>

#include "domain/collection_state.h"

namespace examphoto {
namespace {

TEST(Messages, EveryErrorCarriesTheCatalogueText) {
  Error error = MakeError(ErrorKind::kInvalidInput, "sms.code_expired", "detail for logs");
  EXPECT_EQ(error.code, "sms.code_expired");
  EXPECT_EQ(error.message, "验证码已过期或未获取。");
  EXPECT_FALSE(error.hint.empty());
  EXPECT_EQ(error.detail, "detail for logs");
}

TEST(Messages, UnknownCodeFallsBackToAGenericTextNotAnEmptyOne) {
  EXPECT_FALSE(HasMessage("no.such.code"));
  EXPECT_FALSE(LookupMessage("no.such.code").message.empty());
}

TEST(Messages, FormatsPlaceholders) {
  EXPECT_EQ(FormatMessage("请{seconds}秒后，{seconds}", "seconds", "42"), "请42秒后，42");
}

TEST(Messages, LabelsComeFromTheCatalogueAndFallBackToTheKey) {
  EXPECT_EQ(Label("state", "verified"), "采集完成");
  EXPECT_EQ(Label("field", "id_number"), "公民身份号码");
  EXPECT_EQ(Label("state", "no_such_state"), "no_such_state");
  bool found = false;
  for (const LabelEntry& label : AllLabels()) {
    EXPECT_FALSE(label.group.empty()) << label.key;
    EXPECT_FALSE(label.text.empty()) << label.group << "." << label.key;
    found = found || (label.group == "event" && label.key == "office_reset");
  }
  EXPECT_TRUE(found);
}

// The office console shows every state and event by its label: a new one without a label
// would show its raw code.
TEST(Messages, EveryCollectionStateAndEventHasALabel) {
  for (int i = 0; ToString(static_cast<CollectionState>(i)) != "unknown"; ++i) {
    const std::string name(ToString(static_cast<CollectionState>(i)));
    EXPECT_TRUE(HasMessage("label.state." + name)) << name;
  }
  EXPECT_TRUE(HasMessage("label.state.not_started"));
  for (int i = 0; ToString(static_cast<CollectionEvent>(i)) != "unknown"; ++i) {
    const std::string name(ToString(static_cast<CollectionEvent>(i)));
    EXPECT_TRUE(HasMessage("label.event." + name)) << name;
  }
}

TEST(Messages, FillsTheCataloguesTextsAndEveryTextHasItsEntry) {
  EXPECT_EQ(CatalogueText("text.poster.phone", {{"phone", "010-1"}}), "咨询电话：010-1");
  for (const char* code :
       {"text.agreement.user", "text.agreement.privacy", "text.field.registration_no",
        "text.field.id_number", "text.field.phone", "text.roster_cli.unreadable",
        "text.roster_cli.rejected", "text.roster_cli.problem", "text.roster_cli.checked",
        "text.roster_cli.imported", "text.report.sheet", "text.poster.title", "text.poster.scan",
        "text.poster.prepare", "text.poster.phone", "text.config.at_line"}) {
    EXPECT_TRUE(HasMessage(code)) << code;
  }
}

}  // namespace
}  // namespace examphoto
