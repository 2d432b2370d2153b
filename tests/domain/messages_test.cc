#include "domain/messages.h"

#include <gtest/gtest.h>

namespace examphoto {
namespace {

TEST(Messages, EveryErrorCarriesTheCatalogueText) {
  Error error = MakeError(ErrorKind::kInvalidInput, "sms.code_wrong", "detail for logs");
  EXPECT_EQ(error.code, "sms.code_wrong");
  EXPECT_EQ(error.message, "验证码不正确。");
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

TEST(Messages, FillsTheCataloguesTextsAndEveryTextHasItsEntry) {
  EXPECT_EQ(CatalogueText("text.poster.phone", {{"phone", "010-1"}}), "咨询电话：010-1");
  for (const char* code :
       {"text.agreement.user",      "text.agreement.privacy",  "text.field.registration_no",
        "text.field.id_number",     "text.field.phone",        "text.roster_cli.unreadable",
        "text.roster_cli.rejected", "text.roster_cli.problem", "text.roster_cli.checked",
        "text.roster_cli.imported", "text.report.sheet",       "text.report.registration_no",
        "text.report.name",         "text.report.id_number",   "text.report.phone",
        "text.report.exam_session", "text.report.state",       "text.report.photo_passed",
        "text.report.updated_at",   "text.report.yes",         "text.report.no",
        "text.poster.title",        "text.poster.scan",        "text.poster.prepare",
        "text.poster.phone",        "text.config.at_line"}) {
    EXPECT_TRUE(HasMessage(code)) << code;
  }
}

}  // namespace
}  // namespace examphoto
