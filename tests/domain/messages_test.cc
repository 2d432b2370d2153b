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

}  // namespace
}  // namespace examphoto
