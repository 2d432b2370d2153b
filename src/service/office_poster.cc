#include "service/office_poster.h"

#include <qrencode.h>

#include <memory>

#include "domain/messages.h"

namespace examphoto {
namespace {

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(ch);
    }
  }
  return out;
}

struct QrDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// The code's dark modules as one SVG path in module units, with a 4-module quiet zone.
Result<std::pair<std::string, int>> QrPath(std::string_view url) {
  const bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  bool clean = true;
  for (unsigned char ch : url) clean = clean && ch > 0x20 && ch != 0x7f;
  if (!http || !clean || url.size() > 1000)
    return MakeError(ErrorKind::kInvalidInput, "office.qr_url");
  std::unique_ptr<QRcode, QrDeleter> code(
      QRcode_encodeString8bit(std::string(url).c_str(), 0, QR_ECLEVEL_M));
  if (!code) return MakeError(ErrorKind::kInvalidInput, "office.qr_url");
  std::string path;
  const int width = code->width;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      if (code->data[y * width + x] & 1) {
        path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
      }
    }
  }
  return std::make_pair(path, width + 8);
}

}  // namespace

Result<std::string> QrCodeSvg(std::string_view url) {
  auto qr = QrPath(url);
  if (!qr.ok()) return qr.error();
  const std::string size = std::to_string(qr->second);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size +
         "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
         "<path fill=\"#000\" d=\"" +
         qr->first + "\"/></svg>\n";
}

Result<std::string> QrPosterSvg(std::string_view url, std::string_view title,
                                std::string_view office_phone) {
  auto qr = QrPath(url);
  if (!qr.ok()) return qr.error();
  // A4 at 1 unit = 1 mm; the code is 120 mm wide, large enough to scan from a printed notice.
  const double scale = 120.0 / qr->second;
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" "
      "viewBox=\"0 0 210 297\" font-family=\"Noto Sans CJK SC, sans-serif\">"
      "<rect width=\"210\" height=\"297\" fill=\"#fff\"/>"
      "<text x=\"105\" y=\"40\" font-size=\"11\" text-anchor=\"middle\" font-weight=\"bold\">" +
      XmlEscape(title) +
      "</text>"
      "<text x=\"105\" y=\"58\" font-size=\"7\" text-anchor=\"middle\">" +
      XmlEscape(CatalogueText("text.poster.scan")) +
      "</text>"
      "<g transform=\"translate(45 70) scale(" +
      std::to_string(scale) + ")\" shape-rendering=\"crispEdges\"><path fill=\"#000\" d=\"" +
      qr->first +
      "\"/></g>"
      "<text x=\"105\" y=\"205\" font-size=\"5\" text-anchor=\"middle\">" +
      XmlEscape(url) +
      "</text>"
      "<text x=\"105\" y=\"225\" font-size=\"6\" text-anchor=\"middle\">" +
      XmlEscape(CatalogueText("text.poster.prepare")) + "</text>";
  if (!office_phone.empty()) {
    svg += "<text x=\"105\" y=\"240\" font-size=\"6\" text-anchor=\"middle\">" +
           XmlEscape(CatalogueText("text.poster.phone", {{"phone", office_phone}})) + "</text>";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace examphoto
