// The QR code of the candidate app's address (libqrencode), as SVG: the bare code, and an A4
// poster for the exam notice (the guide's 图一: scan, then 点击进入采集系统).
#pragma once

#include <string>
#include <string_view>

#include "domain/result.h"

namespace examphoto {

// Errors: office.qr_url (not http(s), too long, control characters).
Result<std::string> QrCodeSvg(std::string_view url);
Result<std::string> QrPosterSvg(std::string_view url, std::string_view title,
                                std::string_view office_phone);

}  // namespace examphoto
