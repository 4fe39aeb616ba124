// A small, dependency-free SVG line-plot writer for the regpath command-line tool (coefficient
// paths and the like): axes with 1-2-5 ticks, titles, a legend, optional error bars and markers.
//
// Input is plotted as given (callers pass log(λ) themselves). Points whose coordinates are not
// finite are skipped and break the line, so the document never contains "nan" or "inf"; an empty
// or degenerate range (one point, all-equal values) is padded so the plot stays drawable.
#pragma once

#include <string>
#include <vector>

namespace regpath::cli {

struct PlotSeries {
  std::string label;  // empty: not shown in the legend
  std::vector<double> x, y;
  // Optional error bars: both empty, or both the same length as y.
  std::vector<double> y_lo, y_hi;
  bool points = false;  // draw a marker at every point
};

// A dashed vertical line at x with a label at its top (e.g. a chosen λ).
struct PlotMarker {
  double x = 0;
  std::string label;
};

struct PlotSpec {
  std::string title, x_label, y_label;
  std::vector<PlotSeries> series;
  std::vector<PlotMarker> markers;
};

// The whole SVG document (800×500). Throws std::invalid_argument, naming the series, when a
// series' x, y, y_lo, y_hi lengths disagree.
std::string render_svg(const PlotSpec& spec);
// Writes render_svg(spec) to `path`; throws std::runtime_error naming the file and the system's
// reason when it cannot be written.
void write_svg(const std::string& path, const PlotSpec& spec);

}  // namespace regpath::cli
