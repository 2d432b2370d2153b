// The office's exports: a ZIP of the accepted (verified) photos named by ID number or
// registration number, written as it is read so its size never matters; and the progress
// report (one row per candidate) as CSV (streamed) or XLSX (libxlsxwriter). Candidates are
// read in keyset batches, so memory stays flat at any roster size. A streamed export writes
// into an ExportSink, which answers false once the reader has gone: the export then stops.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "domain/result.h"
#include "storage/blob_store.h"
#include "storage/candidate_repository.h"
#include "storage/database.h"

namespace examphoto {

// Receives an export's bytes in order; false: nobody reads any more, stop.
using ExportSink = std::function<bool(std::string_view)>;

struct PhotoExportSummary {
  int64_t photos = 0;
  int64_t missing = 0;  // verified candidates whose photo blob could not be read
  uint64_t bytes = 0;
  bool complete = true;  // false: the sink stopped it
};

class OfficeExport {
 public:
  OfficeExport(Database& database, BlobStore& blobs) : database_(database), blobs_(blobs) {}

  // key: "id_number" or "registration_no" (error office.export_key). exam_session "" = all.
  static Status CheckPhotoKey(std::string_view key);
  Result<PhotoExportSummary> WritePhotosZip(std::string_view key, std::string_view exam_session,
                                            int64_t now, const ExportSink& sink);
  // The report as UTF-8 CSV with a BOM (Excel opens it as such); the rows written.
  Result<int64_t> WriteReportCsv(const ExportSink& sink);
  // The report as an XLSX workbook's bytes (built in a temporary file, then read back).
  Result<std::string> ReportXlsx();

 private:
  // Calls `row` for every candidate in id order with its state, until it answers false.
  void ForEachReportRow(const std::function<bool(const CandidateProgress&)>& row);

  Database& database_;
  BlobStore& blobs_;
};

}  // namespace examphoto
