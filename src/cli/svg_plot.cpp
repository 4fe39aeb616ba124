#include "cli/svg_plot.hpp"

#include "cli/output_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <stdexcept>

// Numbers are printed with snprintf, which follows the C locale's decimal point; the CLI never
// calls setlocale, so that is always '.'.

namespace regpath::cli {
namespace {

constexpr double kWidth = 800, kHeight = 500;
constexpr double kLeft = 75, kTop = 45, kBottom = 60;
constexpr double kRightPlain = 30, kRightLegend = 175;  // the legend sits right of the plot
constexpr std::size_t kMaxLegendEntries = 12;
constexpr std::size_t kMaxLegendChars = 18;  // code points; longer labels are cut with "…"
constexpr int kMaxTicks = 60;  // guards the tick loop against pathological steps

const char* const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr std::size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];
// Once the colours repeat, the dash pattern changes, so series stay distinguishable.
const char* const kDashes[] = {"", "7,3", "2,2"};

// Text for an XML text node or attribute: the five special characters escaped, control bytes XML
// forbids dropped, and invalid UTF-8 (feature names are arbitrary CSV bytes) replaced by U+FFFD,
// so the document stays well-formed whatever the caller passes.
std::string escape_xml(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // Length of a well-formed sequence starting here (no overlongs, surrogates or > U+10FFFF).
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    }
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// At most `max_chars` code points of `s`, the last being "…" when cut (never inside a UTF-8
// sequence), so a long feature name cannot push the legend off the page.
std::string shorten(const std::string& s, std::size_t max_chars) {
  const auto starts_char = [&](std::size_t i) {
    return (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  };
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) chars += starts_char(i);
  if (chars <= max_chars) return s;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (starts_char(i) && ++kept == max_chars) return s.substr(0, i) + "\xE2\x80\xA6";
  return s;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The smallest 1, 2 or 5 × 10^k that is at least `raw` (> 0, finite).
double nice_step(double raw) {
  const double e = std::floor(std::log10(raw));
  const double base = std::pow(10.0, e);
  const double f = raw / base;
  const double m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return m * base;
}

struct Axis {
  double lo = 0, hi = 1;  // the drawn range
  double step = 1;
  std::vector<double> ticks;
  std::vector<std::string> tick_labels;

  // Position in [0, 1]; halves keep spans near ±DBL_MAX from overflowing.
  double frac(double v) const { return (0.5 * v - 0.5 * lo) / (0.5 * hi - 0.5 * lo); }
};

std::string tick_label(double v, double step, double max_abs) {
  char buf[48];
  if (step >= 1e-4 && max_abs < 1e7) {
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  } else {
    // Enough significant digits to tell neighbouring ticks apart.
    const double digits = std::floor(std::log10(max_abs)) - std::floor(std::log10(step)) + 1;
    std::snprintf(buf, sizeof buf, "%.*g", static_cast<int>(std::clamp(digits, 1.0, 17.0)), v);
  }
  return buf;
}

// The data range [lo, hi] (found: whether there was any finite value) widened by 4% on each side,
// as R's plot does, with 1-2-5 ticks inside it. A missing or zero-width range is padded first.
Axis make_axis(double lo, double hi, bool found, int target_ticks) {
  Axis a;
  if (!found) {
    lo = 0;
    hi = 1;
  }
  const double mag = std::max(std::fabs(lo), std::fabs(hi));
  if (0.5 * hi - 0.5 * lo <= 1e-12 * mag || 0.5 * hi - 0.5 * lo < 1e-300) {
    const double mid = 0.5 * lo + 0.5 * hi;
    double pad = 0.1 * std::fabs(mid);
    if (!(pad >= 1e-300)) pad = 1;
    const double big = std::numeric_limits<double>::max();
    lo = std::max(mid - pad, -big);
    hi = std::min(mid + pad, big);
  }
  const double half_span = 0.5 * hi - 0.5 * lo;
  a.lo = std::max(lo - 0.08 * half_span, -std::numeric_limits<double>::max());
  a.hi = std::min(hi + 0.08 * half_span, std::numeric_limits<double>::max());
  a.step = nice_step((0.5 * a.hi - 0.5 * a.lo) / (0.5 * target_ticks));
  const double first = std::ceil(a.lo / a.step - 1e-9);
  const double max_abs = std::max(std::fabs(a.lo), std::fabs(a.hi));
  for (int i = 0; i < kMaxTicks; ++i) {
    double v = (first + i) * a.step;
    if (!std::isfinite(v) || v > a.hi + 1e-9 * a.step) break;
    if (std::fabs(v) < 1e-9 * a.step) v = 0;  // no "-0" or "1e-17" at zero
    a.ticks.push_back(v);
    a.tick_labels.push_back(tick_label(v, a.step, max_abs));
  }
  return a;
}

struct Extent {
  double lo = 0, hi = 0;
  bool found = false;
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = found ? std::min(lo, v) : v;
    hi = found ? std::max(hi, v) : v;
    found = true;
  }
};

void check_lengths(const PlotSeries& s, std::size_t index) {
  const auto bad = [&](const std::string& what) {
    throw std::invalid_argument("render_svg: series " + std::to_string(index) + " ('" + s.label +
                                "'): " + what);
  };
  if (s.x.size() != s.y.size())
    bad("x has " + std::to_string(s.x.size()) + " values, y has " + std::to_string(s.y.size()));
  if (s.y_lo.size() != s.y_hi.size())
    bad("y_lo has " + std::to_string(s.y_lo.size()) + " values, y_hi has " +
        std::to_string(s.y_hi.size()));
  if (!s.y_lo.empty() && s.y_lo.size() != s.y.size())
    bad("error bars have " + std::to_string(s.y_lo.size()) + " values, y has " +
        std::to_string(s.y.size()));
}

class SvgCanvas {
 public:
  SvgCanvas(const Axis& x, const Axis& y, double left, double top, double width, double height)
      : x_(x), y_(y), left_(left), top_(top), width_(width), height_(height) {}
  double px(double v) const { return left_ + x_.frac(v) * width_; }
  double py(double v) const { return top_ + (1 - y_.frac(v)) * height_; }
  double left() const { return left_; }
  double right() const { return left_ + width_; }
  double top() const { return top_; }
  double bottom() const { return top_ + height_; }

 private:
  const Axis& x_;
  const Axis& y_;
  double left_, top_, width_, height_;
};

void draw_axes(std::string& out, const SvgCanvas& c, const Axis& x, const Axis& y) {
  out += "<g stroke=\"#e6e6e6\" stroke-width=\"1\">\n";
  for (double t : x.ticks) {
    const std::string p = num(c.px(t));
    out += "<line x1=\"" + p + "\" y1=\"" + num(c.top()) + "\" x2=\"" + p + "\" y2=\"" +
           num(c.bottom()) + "\"/>\n";
  }
  for (double t : y.ticks) {
    const std::string p = num(c.py(t));
    out += "<line x1=\"" + num(c.left()) + "\" y1=\"" + p + "\" x2=\"" + num(c.right()) +
           "\" y2=\"" + p + "\"/>\n";
  }
  out += "</g>\n";
  out += "<rect x=\"" + num(c.left()) + "\" y=\"" + num(c.top()) + "\" width=\"" +
         num(c.right() - c.left()) + "\" height=\"" + num(c.bottom() - c.top()) +
         "\" fill=\"none\" stroke=\"#333\" stroke-width=\"1\"/>\n";
  out += "<g stroke=\"#333\" stroke-width=\"1\">\n";
  for (double t : x.ticks) {
    const std::string p = num(c.px(t));
    out += "<line x1=\"" + p + "\" y1=\"" + num(c.bottom()) + "\" x2=\"" + p + "\" y2=\"" +
           num(c.bottom() + 5) + "\"/>\n";
  }
  for (double t : y.ticks) {
    const std::string p = num(c.py(t));
    out += "<line x1=\"" + num(c.left() - 5) + "\" y1=\"" + p + "\" x2=\"" + num(c.left()) +
           "\" y2=\"" + p + "\"/>\n";
  }
  out += "</g>\n";
  out += "<g font-size=\"12\" fill=\"#333\">\n";
  for (std::size_t i = 0; i < x.ticks.size(); ++i)
    out += "<text x=\"" + num(c.px(x.ticks[i])) + "\" y=\"" + num(c.bottom() + 19) +
           "\" text-anchor=\"middle\">" + x.tick_labels[i] + "</text>\n";
  for (std::size_t i = 0; i < y.ticks.size(); ++i)
    out += "<text x=\"" + num(c.left() - 8) + "\" y=\"" + num(c.py(y.ticks[i]) + 4) +
           "\" text-anchor=\"end\">" + y.tick_labels[i] + "</text>\n";
  out += "</g>\n";
}

std::string stroke_style(std::size_t index) {
  std::string s = std::string("stroke=\"") + kPalette[index % kPaletteSize] + "\"";
  const char* dash = kDashes[(index / kPaletteSize) % (sizeof kDashes / sizeof kDashes[0])];
  if (*dash) s += std::string(" stroke-dasharray=\"") + dash + "\"";
  return s;
}

std::string circle(double cx, double cy, const char* colour) {
  return "<circle cx=\"" + num(cx) + "\" cy=\"" + num(cy) + "\" r=\"3\" fill=\"" + colour +
         "\" stroke=\"none\"/>\n";
}

void draw_series(std::string& out, const SvgCanvas& c, const PlotSeries& s, std::size_t index) {
  const char* colour = kPalette[index % kPaletteSize];
  out += "<g fill=\"none\" stroke-width=\"1.5\" stroke-linejoin=\"round\" " +
         stroke_style(index) + ">\n";
  // Non-finite points break the line into runs; a run of one point gets a marker so it shows.
  std::vector<std::pair<double, double>> run;
  std::string markers;
  const auto flush = [&] {
    if (run.size() == 1 && !s.points) markers += circle(run[0].first, run[0].second, colour);
    if (run.size() >= 2) {
      out += "<polyline points=\"";
      for (std::size_t k = 0; k < run.size(); ++k)
        out += (k ? " " : "") + num(run[k].first) + "," + num(run[k].second);
      out += "\"/>\n";
    }
    run.clear();
  };
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) {
      flush();
      continue;
    }
    run.emplace_back(c.px(s.x[i]), c.py(s.y[i]));
    if (s.points) markers += circle(run.back().first, run.back().second, colour);
  }
  flush();
  for (std::size_t i = 0; i < s.y_lo.size(); ++i) {
    if (!std::isfinite(s.x[i]) || !std::isfinite(s.y_lo[i]) || !std::isfinite(s.y_hi[i]))
      continue;
    const double xp = c.px(s.x[i]), lo = c.py(s.y_lo[i]), hi = c.py(s.y_hi[i]);
    out += "<path stroke-dasharray=\"none\" stroke-width=\"1\" d=\"M" + num(xp) + "," + num(lo) +
           "V" + num(hi) + "M" + num(xp - 3) + "," + num(lo) + "H" + num(xp + 3) + "M" +
           num(xp - 3) + "," + num(hi) + "H" + num(xp + 3) + "\"/>\n";
  }
  out += markers;
  out += "</g>\n";
}

void draw_marker(std::string& out, const SvgCanvas& c, const PlotMarker& m) {
  if (!std::isfinite(m.x)) return;
  const std::string p = num(c.px(m.x));
  out += "<line x1=\"" + p + "\" y1=\"" + num(c.top()) + "\" x2=\"" + p + "\" y2=\"" +
         num(c.bottom()) + "\" stroke=\"#555\" stroke-width=\"1\" stroke-dasharray=\"5,4\"/>\n";
  if (!m.label.empty())
    out += "<text x=\"" + num(c.px(m.x) + 3) + "\" y=\"" + num(c.top() + 12) +
           "\" font-size=\"11\" fill=\"#444\">" + escape_xml(m.label) + "</text>\n";
}

void draw_legend(std::string& out, const SvgCanvas& c, const PlotSpec& spec,
                 const std::vector<std::size_t>& labelled) {
  const double x0 = c.right() + 12;
  double y = c.top() + 8;
  out += "<g font-size=\"12\" fill=\"#333\">\n";
  const std::size_t shown = std::min(labelled.size(), kMaxLegendEntries);
  for (std::size_t e = 0; e < shown; ++e) {
    const std::size_t i = labelled[e];
    out += "<line x1=\"" + num(x0) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x0 + 22) +
           "\" y2=\"" + num(y) + "\" stroke-width=\"2\" " + stroke_style(i) + "/>\n";
    if (spec.series[i].points) out += circle(x0 + 11, y, kPalette[i % kPaletteSize]);
    out += "<text x=\"" + num(x0 + 28) + "\" y=\"" + num(y + 4) + "\">" +
           escape_xml(shorten(spec.series[i].label, kMaxLegendChars)) + "</text>\n";
    y += 16;
  }
  if (labelled.size() > shown)
    out += "<text x=\"" + num(x0 + 28) + "\" y=\"" + num(y + 4) + "\">+" +
           std::to_string(labelled.size() - shown) + " more</text>\n";
  out += "</g>\n";
}

}  // namespace

std::string render_svg(const PlotSpec& spec) {
  Extent xe, ye;
  std::vector<std::size_t> labelled;
  for (std::size_t i = 0; i < spec.series.size(); ++i) {
    const PlotSeries& s = spec.series[i];
    check_lengths(s, i);
    if (!s.label.empty()) labelled.push_back(i);
    for (std::size_t k = 0; k < s.x.size(); ++k) {
      if (!std::isfinite(s.x[k])) continue;
      const bool point = std::isfinite(s.y[k]);
      const bool bar = !s.y_lo.empty() && std::isfinite(s.y_lo[k]) && std::isfinite(s.y_hi[k]);
      if (point || bar) xe.add(s.x[k]);
      if (point) ye.add(s.y[k]);
      if (bar) {
        ye.add(s.y_lo[k]);
        ye.add(s.y_hi[k]);
      }
    }
  }
  const bool any_data = xe.found;
  for (const PlotMarker& m : spec.markers) xe.add(m.x);

  const bool legend = labelled.size() > 1;
  const double plot_w = kWidth - kLeft - (legend ? kRightLegend : kRightPlain);
  const double plot_h = kHeight - kTop - kBottom;
  const Axis x = make_axis(xe.lo, xe.hi, xe.found, 8);
  const Axis y = make_axis(ye.lo, ye.hi, ye.found, 6);
  const SvgCanvas c(x, y, kLeft, kTop, plot_w, plot_h);

  std::string out;
  const std::string w = std::to_string(static_cast<int>(kWidth));
  const std::string h = std::to_string(static_cast<int>(kHeight));
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
         "\" viewBox=\"0 0 " + w + " " + h + "\" font-family=\"Helvetica, Arial, sans-serif\">\n";
  out += "<rect x=\"0\" y=\"0\" width=\"" + w + "\" height=\"" + h + "\" fill=\"white\"/>\n";
  out += "<text x=\"" + num(kWidth / 2) + "\" y=\"28\" font-size=\"16\" text-anchor=\"middle\">" +
         escape_xml(spec.title) + "</text>\n";
  draw_axes(out, c, x, y);
  out += "<text x=\"" + num(kLeft + plot_w / 2) + "\" y=\"" + num(kHeight - 14) +
         "\" font-size=\"13\" text-anchor=\"middle\">" + escape_xml(spec.x_label) + "</text>\n";
  out += "<text x=\"0\" y=\"0\" font-size=\"13\" text-anchor=\"middle\" transform=\"translate(18," +
         num(kTop + plot_h / 2) + ") rotate(-90)\">" + escape_xml(spec.y_label) + "</text>\n";
  for (const PlotMarker& m : spec.markers) draw_marker(out, c, m);
  for (std::size_t i = 0; i < spec.series.size(); ++i) draw_series(out, c, spec.series[i], i);
  if (!any_data)
    out += "<text x=\"" + num(kLeft + plot_w / 2) + "\" y=\"" + num(kTop + plot_h / 2) +
           "\" font-size=\"13\" fill=\"#888\" text-anchor=\"middle\">no finite data</text>\n";
  if (legend) draw_legend(out, c, spec, labelled);
  out += "</svg>\n";
  return out;
}

void write_svg(const std::string& path, const PlotSpec& spec) {
  write_file_atomically(path, render_svg(spec));
}

}  // namespace regpath::cli
