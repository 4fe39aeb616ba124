// A one-line progress bar for long fits: "\r[#####     ] 45%  cv" on stderr, redrawn at most
// about ten times a second and erased when done. It draws only when stderr is a terminal, so
// that logs, pipes and tests never see carriage returns.
#pragma once

#include <chrono>
#include <functional>
#include <ostream>
#include <string>

namespace regpath::cli {

class ProgressBar {
 public:
  // Draws on `out` only when `enabled`; see progress_enabled for the usual choice.
  ProgressBar(std::ostream& out, std::string label, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `fraction` of the work done (clamped into 0..1); redraws when the percentage changed and
  // the last draw is at least 100 ms old (the first draw is immediate).
  void update(double fraction);
  // Erases the bar (if one is on the screen), leaving the cursor at the start of the line; the
  // destructor does it too, so an error message never lands after a half-drawn bar.
  void clear();
  // A callback for Options::progress that updates this bar; the bar must outlive its use.
  std::function<void(double)> callback();

 private:
  std::ostream& out_;
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  int percent_ = -1;
  std::size_t width_ = 0;  // characters of the line on the screen
  std::chrono::steady_clock::time_point last_draw_;
};

// Whether a progress bar belongs on `err`: it is the process's stderr, that is a terminal, and
// the user did not ask for quiet.
bool progress_enabled(const std::ostream& err, bool quiet);

}  // namespace regpath::cli
