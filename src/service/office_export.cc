#include "service/office_export.h"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "domain/china_time.h"
#include "domain/messages.h"
#include "service/zip_stream_writer.h"
#include "storage/collection_repository.h"

namespace examphoto {
namespace {

constexpr int64_t kBatch = 500;

std::string CsvField(std::string_view text) {
  // Quote everything; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula.
  std::string out = "\"";
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
    out.push_back('\'');
  }
  for (char ch : text) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  out.push_back('"');
  return out;
}

std::string ChinaTime(const std::optional<int64_t>& millis) {
  return millis ? FormatChinaTime(*millis, "%Y-%m-%d %H:%M:%S") : "";
}

// The report's first five columns, in the header's order.
std::array<const std::string*, 5> Cells(const Candidate& c) {
  return {&c.registration_no, &c.name, &c.id_number, &c.phone, &c.exam_session};
}

std::string StateName(const CandidateProgress& row) {
  return row.state ? std::string(ToString(*row.state)) : "not_started";
}

const char* kReportHeader[] = {"报名号",   "姓名",     "身份证号码", "手机号",
                               "考试批次", "采集状态", "照片已通过", "最后更新时间"};

}  // namespace

Status OfficeExport::CheckPhotoKey(std::string_view key) {
  if (key == "id_number" || key == "registration_no") return {};
  return MakeError(ErrorKind::kInvalidInput, "office.export_key");
}

PhotoExportSummary OfficeExport::WritePhotosZip(std::string_view key, std::string_view exam_session,
                                                int64_t now,
                                                const std::function<void(std::string_view)>& sink) {
  PhotoExportSummary summary;
  ZipStreamWriter zip(sink, now);
  int64_t after = 0;
  for (;;) {
    std::vector<VerifiedPhoto> batch;
    {
      // The connection goes back to the pool between batches: a slow download never holds one.
      PooledConnection c = database_.Acquire();
      batch = CollectionRepository(*c).VerifiedPhotosAfter(after, exam_session, kBatch);
    }
    for (const VerifiedPhoto& photo : batch) {
      after = photo.candidate_id;
      auto bytes = blobs_.Get(photo.photo_key);
      if (!bytes) {
        ++summary.missing;
        spdlog::warn("office.export_missing_photo candidate={}", after);
        continue;
      }
      zip.Add((key == "registration_no" ? photo.registration_no : photo.id_number) + ".jpg",
              *bytes);
      ++summary.photos;
    }
    if (batch.size() < static_cast<size_t>(kBatch)) break;
  }
  zip.Finish();
  summary.bytes = zip.bytes_written();
  return summary;
}

void OfficeExport::ForEachReportRow(const std::function<void(const CandidateProgress&)>& row) {
  int64_t after = 0;
  for (;;) {
    std::vector<CandidateProgress> batch;
    {
      PooledConnection c = database_.Acquire();
      batch = CandidateRepository(*c).ProgressAfter(after, kBatch);
    }
    for (const CandidateProgress& r : batch) {
      after = r.candidate.id;
      row(r);
    }
    if (batch.size() < static_cast<size_t>(kBatch)) break;
  }
}

int64_t OfficeExport::WriteReportCsv(const std::function<void(std::string_view)>& sink) {
  std::string buffer = "\xEF\xBB\xBF";
  for (size_t i = 0; i < std::size(kReportHeader); ++i) {
    buffer += (i ? "," : "") + CsvField(kReportHeader[i]);
  }
  buffer += "\r\n";
  int64_t count = 0;
  ForEachReportRow([&](const CandidateProgress& r) {
    const std::string state = StateName(r);
    for (const std::string* cell : Cells(r.candidate)) buffer += CsvField(*cell) + ",";
    buffer += CsvField(state) + "," + CsvField(state == "verified" ? "是" : "否") + "," +
              CsvField(ChinaTime(r.updated_at)) + "\r\n";
    ++count;
    if (buffer.size() > 64 * 1024) {
      sink(buffer);
      buffer.clear();
    }
  });
  if (!buffer.empty()) sink(buffer);
  return count;
}

std::string OfficeExport::ReportXlsx() {
  // libxlsxwriter 1.1.4 (Debian 12) writes only to a file; constant_memory keeps it flat.
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/examphoto-report-XXXXXX";
  const int fd = mkstemp(path.data());
  if (fd < 0) throw std::runtime_error("cannot create a temporary file for the XLSX report");
  close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove_later{path};

  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.use_zip64 = LXW_TRUE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (!workbook) throw std::runtime_error("libxlsxwriter could not start a workbook");
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "采集进度");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (size_t i = 0; i < std::size(kReportHeader); ++i) {
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(i), kReportHeader[i], bold);
  }
  worksheet_set_column(sheet, 0, 0, 16, nullptr);
  worksheet_set_column(sheet, 2, 2, 22, nullptr);
  worksheet_set_column(sheet, 3, 3, 14, nullptr);
  worksheet_set_column(sheet, 5, 5, 20, nullptr);
  worksheet_set_column(sheet, 7, 7, 20, nullptr);
  lxw_row_t row = 1;
  ForEachReportRow([&](const CandidateProgress& r) {
    const std::string state = StateName(r);
    // Numbers that are identifiers are written as text so Excel keeps every digit.
    lxw_col_t column = 0;
    for (const std::string* cell : Cells(r.candidate)) {
      worksheet_write_string(sheet, row, column++, cell->c_str(), nullptr);
    }
    worksheet_write_string(sheet, row, 5, state.c_str(), nullptr);
    worksheet_write_string(sheet, row, 6, state == "verified" ? "是" : "否", nullptr);
    worksheet_write_string(sheet, row, 7, ChinaTime(r.updated_at).c_str(), nullptr);
    ++row;
  });
  if (workbook_close(workbook) != LXW_NO_ERROR) {
    throw std::runtime_error("libxlsxwriter could not write the workbook");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace examphoto
