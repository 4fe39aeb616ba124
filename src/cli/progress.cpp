#include "cli/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <utility>

namespace regpath::cli {
namespace {

constexpr std::size_t kBarWidth = 30;
// Fast enough to look alive, slow enough that a terminal over ssh keeps up.
constexpr std::chrono::milliseconds kMinInterval(100);

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, std::string label, bool enabled)
    : out_(out), label_(std::move(label)), enabled_(enabled) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::update(double fraction) {
  if (!enabled_) return;
  if (!(fraction >= 0)) fraction = 0;  // NaN too
  fraction = std::min(fraction, 1.0);
  const int percent = static_cast<int>(std::floor(100 * fraction));
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && (percent == percent_ || now - last_draw_ < kMinInterval)) return;
  const auto filled = static_cast<std::size_t>(std::floor(fraction * double(kBarWidth)));
  std::string line = "[" + std::string(filled, '#') + std::string(kBarWidth - filled, ' ') + "] ";
  char pct[8];
  std::snprintf(pct, sizeof pct, "%3d%%", percent);
  line += pct;
  line += "  " + label_;
  // Pad over a longer previous line rather than clearing first, which would flicker.
  const std::size_t width = line.size();
  if (width < width_) line += std::string(width_ - width, ' ');
  out_ << '\r' << line << std::flush;
  width_ = std::max(width_, width);
  drawn_ = true;
  percent_ = percent;
  last_draw_ = now;
}

void ProgressBar::clear() {
  if (!drawn_) return;
  out_ << '\r' << std::string(width_, ' ') << '\r' << std::flush;
  drawn_ = false;
  percent_ = -1;
  width_ = 0;
}

std::function<void(double)> ProgressBar::callback() {
  return [this](double fraction) { update(fraction); };
}

bool progress_enabled(const std::ostream& err, bool quiet) {
  // Only the real stderr can be a terminal; a stream passed in by a test never is.
  return !quiet && &err == &std::cerr && isatty(fileno(stderr)) == 1;
}

}  // namespace regpath::cli
