// The SVG line-plot writer and `regpath fit --plot`: a document a browser can open whatever the
// input (escaped text, no NaN/Inf coordinates, degenerate ranges padded), readable ticks, and a
// legend that stays on the page.
#include "cli/svg_plot.hpp"
#include "cli_runner.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace regpath::cli {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

bool contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Well-formed enough: one root, and every <text>/<g> closed.
void expect_well_formed(const std::string& svg) {
  ASSERT_EQ(svg.rfind("<svg", 0), 0u) << svg.substr(0, 80);
  std::string tail = svg;
  while (!tail.empty() && std::isspace(static_cast<unsigned char>(tail.back()))) tail.pop_back();
  EXPECT_EQ(tail.size() >= 6 ? tail.substr(tail.size() - 6) : tail, "</svg>");
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_EQ(count(svg, "</svg>"), 1u);
  EXPECT_EQ(count(svg, "<text"), count(svg, "</text>"));
  EXPECT_EQ(count(svg, "<g ") + count(svg, "<g>"), count(svg, "</g>"));
}

// Every number in a coordinate attribute parses and is finite.
void expect_finite_coordinates(const std::string& svg) {
  EXPECT_FALSE(contains(lower(svg), "nan"));
  EXPECT_FALSE(contains(lower(svg), "inf"));
  std::size_t checked = 0;
  for (const char* attr : {" x=\"", " y=\"", " x1=\"", " y1=\"", " x2=\"", " y2=\"", " cx=\"",
                           " cy=\"", " width=\"", " height=\"", " points=\"", " d=\""}) {
    const std::string key = attr;
    for (auto at = svg.find(key); at != std::string::npos; at = svg.find(key, at + 1)) {
      const auto begin = at + key.size();
      std::string value = svg.substr(begin, svg.find('"', begin) - begin);
      for (char& c : value)
        if (c == ',' || c == 'M' || c == 'V' || c == 'H') c = ' ';
      std::istringstream tokens(value);
      std::string t;
      while (tokens >> t) {
        char* end = nullptr;
        const double v = std::strtod(t.c_str(), &end);
        EXPECT_TRUE(*end == '\0' && std::isfinite(v)) << key << value;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0u);
}

PlotSeries series(std::string label, std::vector<double> x, std::vector<double> y) {
  PlotSeries s;
  s.label = std::move(label);
  s.x = std::move(x);
  s.y = std::move(y);
  return s;
}

TEST(SvgPlot, TitlesAxesAndTicks) {
  PlotSpec spec;
  spec.title = "paths";
  spec.x_label = "log(lambda)";
  spec.y_label = "coefficient";
  spec.series.push_back(series("a", {0, 2.5, 5, 7.5, 10}, {-1, -0.5, 0, 0.5, 1}));
  const std::string svg = render_svg(spec);
  expect_well_formed(svg);
  expect_finite_coordinates(svg);
  EXPECT_TRUE(contains(svg, ">paths</text>"));
  EXPECT_TRUE(contains(svg, ">log(lambda)</text>"));
  EXPECT_TRUE(contains(svg, ">coefficient</text>"));
  // x in [0, 10]: steps of 2; y in [-1, 1]: steps of 0.5.
  for (const char* tick : {">0<", ">2<", ">4<", ">6<", ">8<", ">10<", ">-1.0<", ">-0.5<",
                           ">0.0<", ">0.5<", ">1.0<"})
    EXPECT_TRUE(contains(svg, tick)) << tick;
  EXPECT_FALSE(contains(svg, ">12<"));
  EXPECT_FALSE(contains(svg, ">1.5<"));
  EXPECT_EQ(count(svg, "<polyline"), 1u);
  EXPECT_FALSE(contains(svg, ">a</text>")) << "one series needs no legend";
}

TEST(SvgPlot, EscapesText) {
  PlotSpec spec;
  spec.title = "a < b & \"c\" 'd' > e";
  spec.x_label = "x<1>";
  spec.series.push_back(series("s&1", {0, 1}, {0, 1}));
  spec.series.push_back(series(std::string("bad\x01utf8\xff\xc3"), {0, 1}, {1, 0}));
  spec.markers.push_back({0.5, "m<&>"});
  const std::string svg = render_svg(spec);
  expect_well_formed(svg);
  EXPECT_TRUE(contains(svg, ">a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e</text>"));
  EXPECT_TRUE(contains(svg, ">x&lt;1&gt;</text>"));
  EXPECT_TRUE(contains(svg, ">s&amp;1</text>"));
  EXPECT_TRUE(contains(svg, ">m&lt;&amp;&gt;</text>"));
  EXPECT_TRUE(contains(svg, ">badutf8\xEF\xBF\xBD\xEF\xBF\xBD</text>"));
  EXPECT_FALSE(contains(svg, "a < b"));
  EXPECT_FALSE(contains(svg, "\x01"));
}

TEST(SvgPlot, NonFiniteInputIsSkipped) {
  PlotSpec spec;
  spec.title = "t";
  PlotSeries s = series("a", {0, 1, 2, kInf, 4, 5, 6}, {1, 2, kNaN, 3, 2, -kInf, 1});
  s.y_lo = {0, kNaN, 0, 0, 1, 0, 0};
  s.y_hi = {2, 3, kInf, 4, 3, 1, 2};
  s.points = true;
  spec.series.push_back(s);
  spec.series.push_back(series("b", {kNaN, kInf}, {1, 2}));
  spec.markers.push_back({kNaN, "nowhere"});
  spec.markers.push_back({3, "here"});
  const std::string svg = render_svg(spec);
  expect_well_formed(svg);
  expect_finite_coordinates(svg);
  EXPECT_EQ(count(svg, "<polyline"), 1u) << "0-1 is a run; 4 and 6 stand alone";
  EXPECT_FALSE(contains(svg, "nowhere"));
  EXPECT_TRUE(contains(svg, ">here</text>"));
}

TEST(SvgPlot, DegenerateRangesArePadded) {
  const double big = std::numeric_limits<double>::max();
  for (const PlotSeries& s :
       {series("one point", {3}, {5}), series("constant", {1, 2, 3}, {2, 2, 2}),
        series("zeros", {0, 0}, {0, 0}), series("tiny", {1, 2}, {1, 1 + 1e-15}),
        series("huge", {-big, big}, {big, -big}), series("subnormal", {0, 1e-310}, {0, 1e-310}),
        series("all nan", {kNaN, 1}, {1, kNaN}), series("empty", {}, {})}) {
    PlotSpec spec;
    spec.series.push_back(s);
    const std::string svg = render_svg(spec);
    SCOPED_TRACE(s.label);
    expect_well_formed(svg);
    expect_finite_coordinates(svg);
    EXPECT_GE(count(svg, "text-anchor=\"end\">"), 2u) << "y tick labels";
  }
  PlotSpec point;
  point.series.push_back(series("p", {3}, {5}));
  EXPECT_EQ(count(render_svg(point), "<circle"), 1u) << "a lone point is drawn as a marker";
  PlotSpec none;
  none.series.push_back(series("n", {kNaN}, {kNaN}));
  EXPECT_TRUE(contains(render_svg(none), "no finite data"));
  expect_well_formed(render_svg(PlotSpec{}));
}

TEST(SvgPlot, LegendIsCapped) {
  PlotSpec spec;
  for (int i = 0; i < 20; ++i)
    spec.series.push_back(series("s" + std::to_string(i), {0, 1}, {0, static_cast<double>(i)}));
  spec.series.push_back(series("", {0, 1}, {1, 1}));  // unlabelled: drawn, not in the legend
  spec.series.push_back(series(std::string(40, 'w') + "\xC3\xA9", {0, 1}, {2, 2}));
  const std::string svg = render_svg(spec);
  expect_well_formed(svg);
  EXPECT_TRUE(contains(svg, ">s0</text>"));
  EXPECT_TRUE(contains(svg, ">s11</text>"));
  EXPECT_FALSE(contains(svg, ">s12</text>"));
  EXPECT_TRUE(contains(svg, ">+9 more</text>"));
  EXPECT_EQ(count(svg, "<polyline"), 22u);
  // 22 series share 10 colours: each later round has its own dash pattern.
  EXPECT_TRUE(contains(svg, "stroke=\"#1f77b4\">"));
  EXPECT_TRUE(contains(svg, "stroke=\"#1f77b4\" stroke-dasharray=\"7,3\">"));
  EXPECT_TRUE(contains(svg, "stroke=\"#1f77b4\" stroke-dasharray=\"2,2\">"));

  PlotSpec two;
  two.series.push_back(series(std::string(40, 'w') + "\xC3\xA9", {0, 1}, {0, 1}));
  two.series.push_back(series("b", {0, 1}, {1, 0}));
  const std::string svg2 = render_svg(two);
  EXPECT_TRUE(contains(svg2, ">" + std::string(17, 'w') + "\xE2\x80\xA6</text>")) << "long label cut";
  EXPECT_TRUE(contains(svg2, ">b</text>"));
}

TEST(SvgPlot, MismatchedLengthsThrow) {
  PlotSpec spec;
  spec.series.push_back(series("a", {0, 1}, {0}));
  EXPECT_THROW(render_svg(spec), std::invalid_argument);
  spec.series[0] = series("a", {0, 1}, {0, 1});
  spec.series[0].y_lo = {0};
  spec.series[0].y_hi = {0};
  EXPECT_THROW(render_svg(spec), std::invalid_argument);
}

TEST(SvgPlot, WriteSvg) {
  PlotSpec spec;
  spec.series.push_back(series("a", {0, 1}, {0, 1}));
  const std::string path = test::temp_dir() + "svg_plot_write.svg";
  write_svg(path, spec);
  std::ifstream in(path, std::ios::binary);
  std::stringstream got;
  got << in.rdbuf();
  EXPECT_EQ(got.str(), render_svg(spec));
  try {
    write_svg("/nonexistent/dir/p.svg", spec);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_TRUE(contains(e.what(), "/nonexistent/dir/p.svg")) << e.what();
  }
}

// ---- regpath fit --plot ------------------------------------------------------------------------

using test::CliRun;
using test::run_cli;
using test::temp_path;

const std::string kDiabetes = test::test_data_dir() + "/../../data/diabetes.csv";

TEST(SvgPlotCli, FitWritesCoefficientPlot) {
  const std::string csv = temp_path("out.csv"), svg_path = temp_path("paths.svg");
  const CliRun r = run_cli("fit " + kDiabetes + " --response progression --output " + csv +
                           " --plot " + svg_path);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(contains(r.output, svg_path)) << r.output;
  std::ifstream in(svg_path, std::ios::binary);
  std::stringstream got;
  got << in.rdbuf();
  const std::string svg = got.str();
  expect_well_formed(svg);
  expect_finite_coordinates(svg);
  EXPECT_TRUE(contains(svg, ">Coefficient paths (gaussian, alpha=1)</text>"));
  EXPECT_TRUE(contains(svg, ">log(lambda)</text>"));
  EXPECT_TRUE(contains(svg, ">coefficient</text>"));
  EXPECT_TRUE(contains(svg, ">bmi</text>"));
  EXPECT_FALSE(contains(svg, ">progression</text>")) << "the response is not a feature";
}

TEST(SvgPlotCli, UnwritablePlotPathIsAnError) {
  const CliRun r = run_cli("fit " + kDiabetes + " --response progression --output " +
                           temp_path("out.csv") + " --plot /nonexistent/dir/paths.svg");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(contains(r.output, "/nonexistent/dir/paths.svg")) << r.output;
  EXPECT_TRUE(contains(r.output, "cannot write")) << r.output;
  EXPECT_FALSE(contains(r.output, "terminate")) << r.output;
}

TEST(SvgPlotCli, HelpDocumentsPlot) {
  const CliRun r = run_cli("fit --help");
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(contains(r.output, "--plot PATH.svg")) << r.output;
}

}  // namespace
}  // namespace regpath::cli
