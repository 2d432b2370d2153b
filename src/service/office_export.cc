#include "service/office_export.h"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "domain/china_time.h"
#include "domain/log_text.h"
#include "domain/messages.h"
#include "service/database_failure.h"
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

// The report's columns; their titles are the catalogue's labels (label.column.<column>), the
// same the office console shows.
constexpr std::string_view kReportColumns[] = {"registration_no", "name",         "id_number",
                                               "phone",           "exam_session", "state",
                                               "photo_passed",    "updated_at"};

std::string ColumnTitle(std::string_view column) { return Label("column", column); }

std::string YesOrNo(bool yes) { return Label("bool", yes ? "yes" : "no"); }

// The state column in the office console's words, not its code.
std::string StateLabel(const std::string& state) { return Label("state", state); }

}  // namespace

Status OfficeExport::CheckPhotoKey(std::string_view key) {
  if (key == "id_number" || key == "registration_no") return {};
  return MakeError(ErrorKind::kInvalidInput, "office.export_key");
}

Result<PhotoExportSummary> OfficeExport::WritePhotosZip(std::string_view key,
                                                        std::string_view exam_session, int64_t now,
                                                        const ExportSink& sink) {
  return GuardStorage("export.photos", [&]() -> Result<PhotoExportSummary> {
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
        std::optional<std::string> bytes;
        try {
          bytes = blobs_.Get(photo.photo_key);
        } catch (const DatabaseError& e) {
          // A photo that cannot be opened (tampered, or sealed with a key no longer listed)
          // is reported like a missing one: it must not cut off the other candidates'.
          if (e.kind() == DatabaseError::Kind::kUnavailable) throw;
          spdlog::warn("office.export_unreadable_photo candidate={} error={}", after,
                       LogValue(e.what()));
        }
        if (!bytes) {
          ++summary.missing;
          spdlog::warn("office.export_missing_photo candidate={}", after);
          continue;
        }
        zip.Add((key == "registration_no" ? photo.registration_no : photo.id_number) + ".jpg",
                *bytes);
        if (zip.stopped()) break;
        ++summary.photos;
      }
      if (zip.stopped() || batch.size() < static_cast<size_t>(kBatch)) break;
    }
    zip.Finish();
    summary.bytes = zip.bytes_written();
    summary.complete = !zip.stopped();
    return summary;
  });
}

void OfficeExport::ForEachReportRow(const std::function<bool(const CandidateProgress&)>& row) {
  int64_t after = 0;
  for (;;) {
    std::vector<CandidateProgress> batch;
    {
      PooledConnection c = database_.Acquire();
      batch = CandidateRepository(*c).ProgressAfter(after, kBatch);
    }
    for (const CandidateProgress& r : batch) {
      after = r.candidate.id;
      if (!row(r)) return;
    }
    if (batch.size() < static_cast<size_t>(kBatch)) break;
  }
}

Result<int64_t> OfficeExport::WriteReportCsv(const ExportSink& sink) {
  return GuardStorage("export.report_csv", [&]() -> Result<int64_t> {
    std::string buffer = "\xEF\xBB\xBF";
    for (size_t i = 0; i < std::size(kReportColumns); ++i) {
      buffer += (i ? "," : "") + CsvField(ColumnTitle(kReportColumns[i]));
    }
    buffer += "\r\n";
    int64_t count = 0;
    ForEachReportRow([&](const CandidateProgress& r) {
      const std::string state = StateName(r);
      for (const std::string* cell : Cells(r.candidate)) buffer += CsvField(*cell) + ",";
      buffer += CsvField(StateLabel(state)) + "," + CsvField(YesOrNo(state == "verified")) + "," +
                CsvField(ChinaTime(r.updated_at)) + "\r\n";
      ++count;
      if (buffer.size() <= size_t{64} * 1024) return true;
      const bool more = sink(buffer);
      buffer.clear();
      return more;
    });
    if (!buffer.empty()) sink(buffer);
    return count;
  });
}

Result<std::string> OfficeExport::ReportXlsx() {
  return GuardStorage("export.report_xlsx", [&]() -> Result<std::string> {
    // libxlsxwriter 1.1.4 (Debian 12) writes only to a file; constant_memory keeps it flat.
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/examphoto-report-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) {
      return MakeError(ErrorKind::kInternal, "internal.error",
                       "no temporary file for the XLSX report");
    }
    close(fd);
    struct Remove {
      std::string path;
      ~Remove() { std::remove(path.c_str()); }
    } remove_later{path};

    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.use_zip64 = LXW_TRUE;
    lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
    if (!workbook) {
      return MakeError(ErrorKind::kInternal, "internal.error", "libxlsxwriter could not start");
    }
    lxw_worksheet* sheet =
        workbook_add_worksheet(workbook, CatalogueText("text.report.sheet").c_str());
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    for (size_t i = 0; i < std::size(kReportColumns); ++i) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(i),
                             ColumnTitle(kReportColumns[i]).c_str(), bold);
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
      worksheet_write_string(sheet, row, 5, StateLabel(state).c_str(), nullptr);
      worksheet_write_string(sheet, row, 6, YesOrNo(state == "verified").c_str(), nullptr);
      worksheet_write_string(sheet, row, 7, ChinaTime(r.updated_at).c_str(), nullptr);
      ++row;
      return true;
    });
    if (workbook_close(workbook) != LXW_NO_ERROR) {
      return MakeError(ErrorKind::kInternal, "internal.error", "libxlsxwriter could not write");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return std::move(bytes).str();
  });
}

}  // namespace examphoto
