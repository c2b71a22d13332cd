#pragma once
// The chair's brief as a PDF: the print page rendered by headless Chromium (Debian's `chromium`,
// the browser the tests already drive), so the PDF is exactly what the browser prints, with the
// same print stylesheet and no second layout to keep in step. A PDF library would mean laying the
// brief out twice. Chromium is driven through its DevTools protocol over --remote-debugging-pipe
// (NUL-ended JSON on its fds 3 and 4: no websocket, no new library) and prints with
// Page.printToPDF as the browser's own print does: the stylesheet's @page sets the paper and the
// margins (--print-to-pdf added margins of its own: a page more). Chromium is slow to start (about
// a second) and memory-hungry, so renders are bounded: at most two at once (others are told to
// try again) and each killed after a deadline.
#include <chrono>
#include <optional>
#include <string>

namespace probity {

enum class PdfOutcome { done, unavailable, busy, failed };

struct PdfResult {
  PdfOutcome outcome = PdfOutcome::failed;
  std::string pdf;  // the document, when done
};

/// The path of the Chromium binary to print with: $PROBITY_CHROMIUM when set, else
/// /usr/bin/chromium; empty when it is not an executable file. Throws nothing.
std::string pdf_chromium_path();

/// Prints `html` (a whole page; its /assets/ and /public/ links are pointed at the files in
/// `assets_dir` and `public_dir`) to PDF with headless Chromium, within `deadline`. unavailable
/// when Chromium is missing; busy when two renders are already running; failed when Chromium
/// fails or overruns (it is killed). Throws nothing but std::bad_alloc.
PdfResult html_to_pdf(const std::string& html, const std::string& assets_dir, const std::string& public_dir,
                      std::chrono::seconds deadline = std::chrono::seconds(30));

}  // namespace probity
