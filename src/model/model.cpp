// The model file (docs/model_format.md): Model ↔ JSON through nlohmann-json, with the version
// check and every field validated on read, so that a corrupted, truncated or foreign file is a
// ModelError naming the field, never a crash or a model that predicts garbage.
//
// Numbers: nlohmann-json writes a double as the shortest decimal that reads back as the same
// double (at most 17 significant digits) and reads it with the C library's correctly rounded
// strtod, so every finite double, −0 and subnormals included, round-trips bit for bit, and any
// other JSON reader (Python's json, R's jsonlite) gets the same values. Hex floats would need
// strings, which no JSON tool reads as numbers.
#include "model/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

#ifndef REGPATH_VERSION
#define REGPATH_VERSION "unknown"
#endif

namespace regpath {
namespace {

using Json = nlohmann::ordered_json;

const char* const kFormatName = "regpath-model";

// ---- names -------------------------------------------------------------------------------------

const char* family_name(Family f) { return to_string(f); }
const char* precision_name(Precision p) {
  return p == Precision::float32 ? "float32" : "float64";
}
const char* status_name(Status s) {
  switch (s) {
    case Status::converged: return "converged";
    case Status::max_iter: return "max_iter";
    case Status::stalled: return "stalled";
  }
  return "converged";
}

// Message text from the file: control bytes escaped, cut short (the text may be garbage).
std::string printable(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < 240; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > 240) out += "...";
  return out;
}

// ---- reading, with messages that name the field ------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw ModelError(source_ + ": " + (field.empty() ? "" : "\"" + field + "\": ") + what);
  }

  const Json& member(const Json& obj, const std::string& parent, const char* key) const {
    const std::string field = parent.empty() ? key : parent + "." + key;
    if (!obj.is_object()) fail(parent, "expected an object");
    const auto it = obj.find(key);
    if (it == obj.end()) fail(field, "missing");
    return *it;
  }
  bool has(const Json& obj, const char* key) const {
    return obj.is_object() && obj.find(key) != obj.end();
  }

  double number(const Json& v, const std::string& field) const {
    if (!v.is_number()) fail(field, "expected a number, found " + std::string(v.type_name()));
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(field, "not a finite number");
    return d;
  }
  std::int64_t integer(const Json& v, const std::string& field, std::int64_t lo,
                       std::int64_t hi) const {
    if (!v.is_number_integer()) fail(field, "expected an integer, found " + std::string(v.type_name()));
    if (v.is_number_unsigned() && v.get<std::uint64_t>() >
                                      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      fail(field, "integer out of range");
    const std::int64_t i = v.get<std::int64_t>();
    if (i < lo || i > hi)
      fail(field, std::to_string(i) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return i;
  }
  bool boolean(const Json& v, const std::string& field) const {
    if (!v.is_boolean()) fail(field, "expected true or false, found " + std::string(v.type_name()));
    return v.get<bool>();
  }
  std::string string(const Json& v, const std::string& field) const {
    if (!v.is_string()) fail(field, "expected a string, found " + std::string(v.type_name()));
    return v.get<std::string>();
  }
  const Json& array(const Json& v, const std::string& field, std::size_t size,
                    bool any_size = false) const {
    if (!v.is_array()) fail(field, "expected an array, found " + std::string(v.type_name()));
    if (!any_size && v.size() != size)
      fail(field, "has " + std::to_string(v.size()) + " values, expected " + std::to_string(size));
    return v;
  }
  std::vector<double> numbers(const Json& v, const std::string& field, std::size_t size) const {
    array(v, field, size);
    std::vector<double> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      out.push_back(number(v[i], field + "[" + std::to_string(i) + "]"));
    return out;
  }

 private:
  std::string source_;
};

// ---- writing -------------------------------------------------------------------------------------

Json numbers_json(const std::vector<double>& v, const char* what) {
  Json a = Json::array();
  for (double d : v) {
    if (!std::isfinite(d))
      throw std::invalid_argument(std::string("save_model: ") + what + " holds a number that is "
                                  "not finite; a model file holds finite numbers only");
    a.push_back(d);
  }
  return a;
}

// A stored coefficient: anything but +0 (a −0 is kept, so that the round trip is bit-exact).
bool stored(double v) { return v != 0 || std::signbit(v); }

// The columns of the path per λ: 1, or a multinomial path's C (its classes' blocks).
std::int64_t columns_per_lambda(const Path& path) {
  return std::max<std::int64_t>(path.n_classes, 1);
}

// One coefficient column of p values in the layout chosen for the whole path.
Json column_json(const double* col, std::int64_t p, bool sparse) {
  if (!sparse) return numbers_json(std::vector<double>(col, col + p), "a coefficient");
  Json index = Json::array(), value = Json::array();
  for (std::int64_t j = 0; j < p; ++j)
    if (stored(col[j])) {
      if (!std::isfinite(col[j]))
        throw std::invalid_argument("save_model: a coefficient is not finite");
      index.push_back(j);
      value.push_back(col[j]);
    }
  Json entry = Json::object();
  entry["index"] = std::move(index);
  entry["value"] = std::move(value);
  return entry;
}

// Multinomial: per λ an array of its C classes' values (intercepts, coefficient columns), so
// that the file's nesting is the path's (λ, class) and a count that disagrees is caught on read.
template <class Item>
Json per_lambda(const Path& path, Item&& item) {
  const std::int64_t w = columns_per_lambda(path);
  Json out = Json::array();
  for (std::int64_t k = 0; k < path.nlambda(); ++k) {
    if (path.n_classes == 0) {
      out.push_back(item(k));
      continue;
    }
    Json classes = Json::array();
    for (std::int64_t c = 0; c < w; ++c) classes.push_back(item(k * w + c));
    out.push_back(std::move(classes));
  }
  return out;
}

Json coefficients_json(const Path& path) {
  const std::int64_t p = path.n_features;
  const std::int64_t cols = path.nlambda() * columns_per_lambda(path);
  std::int64_t nnz = 0;
  for (double v : path.coefs) nnz += stored(v);
  Json c = Json::object();
  // Sparse takes an index and a value per entry: dense is smaller past half full.
  const bool sparse = 2 * nnz <= p * cols;
  c["layout"] = sparse ? "sparse" : "dense";
  c["columns"] = per_lambda(path, [&](std::int64_t b) {
    return column_json(path.coefs.data() + b * p, p, sparse);
  });
  return c;
}

Json intercepts_json(const Path& path) {
  numbers_json(path.intercepts, "path.intercepts");  // every one finite
  return per_lambda(path, [&](std::int64_t b) { return Json(path.intercepts[std::size_t(b)]); });
}

// One key per line at the top three levels and one coefficient column per line: readable in an
// editor and diff-able, without a line per number.
void write_pretty(const Json& v, int depth, std::string& out) {
  const auto compact = [](const Json& j) {
    return j.dump(-1, ' ', false, nlohmann::detail::error_handler_t::strict);
  };
  const std::string pad(static_cast<std::size_t>(2 * (depth + 1)), ' ');
  const std::string close_pad(static_cast<std::size_t>(2 * depth), ' ');
  if (v.is_object() && depth < 3 && !v.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++i) {
      out += pad + Json(it.key()).dump() + ": ";
      write_pretty(it.value(), depth + 1, out);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out += close_pad + "}";
  } else if (v.is_array() && !v.empty() && (v.front().is_array() || v.front().is_object())) {
    out += "[\n";
    for (std::size_t i = 0; i < v.size(); ++i)
      out += pad + compact(v[i]) + (i + 1 < v.size() ? ",\n" : "\n");
    out += close_pad + "]";
  } else {
    out += compact(v);
  }
}

std::vector<std::string> names_or_default(std::vector<std::string> names, std::int64_t p) {
  if (names.empty())
    for (std::int64_t j = 0; j < p; ++j) names.push_back("x" + std::to_string(j + 1));
  if (static_cast<std::int64_t>(names.size()) != p)
    throw std::invalid_argument("make_model: " + std::to_string(names.size()) +
                                " feature names for a path of " + std::to_string(p) +
                                " features");
  return names;
}

void record_standardization(Model& m, const MatrixView<double>* X) {
  if (X == nullptr) return;
  if (X->cols != m.n_features() || X->rows < 1)
    throw std::invalid_argument("make_model: X has " + std::to_string(X->cols) +
                                " columns, the path " + std::to_string(m.n_features()) +
                                " features");
  const double n = static_cast<double>(X->rows);
  for (std::int64_t j = 0; j < X->cols; ++j) {
    double mean = 0;
    for (std::int64_t i = 0; i < X->rows; ++i) mean += (*X)(i, j);
    mean /= n;
    double ss = 0;
    for (std::int64_t i = 0; i < X->rows; ++i) ss += ((*X)(i, j) - mean) * ((*X)(i, j) - mean);
    m.feature_centers.push_back(m.intercept ? mean : 0.0);
    m.feature_scales.push_back(m.standardize ? std::sqrt(ss / n) : 1.0);
  }
}

Model base_model(const Path& path, const Options& o, std::vector<std::string> names,
                 bool y_scaling_default) {
  Model m;
  m.family = o.family;
  m.alpha = o.alpha;
  m.standardize = o.standardize;
  m.intercept = o.intercept;
  m.glmnet_y_scaling = o.family == Family::gaussian && o.glmnet_y_scaling.value_or(y_scaling_default);
  m.precision = path.precision;
  m.tol = o.tol ? *o.tol : (path.precision == Precision::float32 ? 1e-4 : 1e-7);
  m.offset = !o.offset.empty();
  m.path = path;
  m.path.family = o.family;
  const bool multinomial = o.family == Family::multinomial;
  if (multinomial != (path.n_classes > 0) || (multinomial && path.n_classes < 2))
    throw std::invalid_argument("make_model: a path of " + std::to_string(path.n_classes) +
                                " classes with options of family " + to_string(o.family) +
                                " (multinomial paths have n_classes ≥ 2, the others 0)");
  if (multinomial) {
    m.type_multinomial = o.type_multinomial;
    for (std::int64_t c = 0; c < path.n_classes; ++c) m.class_labels.push_back(double(c));
  }
  m.feature_names = names_or_default(std::move(names), path.n_features);
  m.writer = std::string("regpath ") + REGPATH_VERSION;
  return m;
}

Status parse_status(const Reader& r, const Json& v, const std::string& field) {
  const std::string s = r.string(v, field);
  if (s == "converged") return Status::converged;
  if (s == "max_iter") return Status::max_iter;
  if (s == "stalled") return Status::stalled;
  r.fail(field, "unknown status '" + printable(s) + "' (expected converged, max_iter or stalled)");
}

// One coefficient column of p values (`field` names it) into col.
void read_column(const Reader& r, const Json& v, const std::string& field, bool sparse,
                 std::int64_t p, double* col) {
  if (!sparse) {
    const std::vector<double> d = r.numbers(v, field, static_cast<std::size_t>(p));
    std::copy(d.begin(), d.end(), col);
    return;
  }
  const Json& index = r.array(r.member(v, field, "index"), field + ".index", 0, true);
  const std::vector<double> value =
      r.numbers(r.member(v, field, "value"), field + ".value", index.size());
  std::int64_t previous = -1;
  for (std::size_t e = 0; e < index.size(); ++e) {
    const std::int64_t j = r.integer(index[e], field + ".index[" + std::to_string(e) + "]",
                                     0, p - 1);
    if (j <= previous)
      r.fail(field + ".index", "indices must increase (" + std::to_string(j) + " after " +
                                   std::to_string(previous) + ")");
    previous = j;
    col[j] = value[e];
  }
}

// The K entries of a per-λ array (`field`), each read by item(entry, its field, block column):
// the entry itself, or for a multinomial path an array of its path.n_classes entries.
template <class Item>
void read_per_lambda(const Reader& r, const Json& v, const std::string& field, const Path& path,
                     Item&& item) {
  const std::size_t K = path.lambdas.size();
  const auto C = static_cast<std::size_t>(path.n_classes);
  r.array(v, field, K);
  for (std::size_t k = 0; k < K; ++k) {
    const std::string at = field + "[" + std::to_string(k) + "]";
    if (C == 0) {
      item(v[k], at, k);
      continue;
    }
    if (!v[k].is_array() || v[k].size() != C)
      r.fail(at, (v[k].is_array() ? "has " + std::to_string(v[k].size()) + " classes"
                                  : "expected an array of the classes' values, found " +
                                        std::string(v[k].type_name())) +
                     ", path.n_classes is " + std::to_string(C));
    for (std::size_t c = 0; c < C; ++c)
      item(v[k][c], at + "[" + std::to_string(c) + "]", k * C + c);
  }
}

void read_coefficients(const Reader& r, const Json& c, Path& path) {
  const std::int64_t p = path.n_features;
  const std::string layout = r.string(r.member(c, "path.coefficients", "layout"),
                                      "path.coefficients.layout");
  if (layout != "dense" && layout != "sparse")
    r.fail("path.coefficients.layout",
           "unknown layout '" + printable(layout) + "' (expected sparse or dense)");
  const std::size_t cols = path.lambdas.size() * static_cast<std::size_t>(columns_per_lambda(path));
  path.coefs.assign(static_cast<std::size_t>(p) * cols, 0.0);
  read_per_lambda(r, r.member(c, "path.coefficients", "columns"), "path.coefficients.columns",
                  path, [&](const Json& v, const std::string& field, std::size_t b) {
                    read_column(r, v, field, layout == "sparse", p,
                                path.coefs.data() + b * static_cast<std::size_t>(p));
                  });
}

// Family multinomial: the count of classes, their labels and type.multinomial.
void read_classes(const Reader& r, const Json& v, const Json& options, Model& m) {
  Path& path = m.path;
  path.n_classes = r.integer(r.member(v, "path", "n_classes"), "path.n_classes", 2, 1 << 20);
  m.class_labels = r.numbers(r.member(v, "path", "class_labels"), "path.class_labels",
                             static_cast<std::size_t>(path.n_classes));
  for (std::size_t c = 1; c < m.class_labels.size(); ++c)
    if (!(m.class_labels[c] > m.class_labels[c - 1]))
      r.fail("path.class_labels", "must be strictly increasing (the classes' order; label " +
                                      std::to_string(c) + ")");
  const std::string type = r.string(r.member(options, "options", "type_multinomial"),
                                    "options.type_multinomial");
  if (type == "ungrouped") {
    m.type_multinomial = MultinomialType::ungrouped;
  } else if (type == "grouped") {
    m.type_multinomial = MultinomialType::grouped;
  } else {
    r.fail("options.type_multinomial",
           "unknown type '" + printable(type) + "' (expected ungrouped or grouped)");
  }
}

void read_cv(const Reader& r, const Json& v, Model& m) {
  ModelCv cv;
  const std::size_t K = m.path.lambdas.size();
  cv.nfolds = static_cast<int>(r.integer(r.member(v, "cv", "nfolds"), "cv.nfolds", 3, 1 << 30));
  cv.lambdas = r.numbers(r.member(v, "cv", "lambdas"), "cv.lambdas", K);
  if (cv.lambdas != m.path.lambdas) r.fail("cv.lambdas", "differ from path.lambdas");
  cv.cvm = r.numbers(r.member(v, "cv", "cvm"), "cv.cvm", K);
  cv.cvsd = r.numbers(r.member(v, "cv", "cvsd"), "cv.cvsd", K);
  const Json& nzero = r.array(r.member(v, "cv", "nzero"), "cv.nzero", K);
  // cv.glmnet's grouped multinomial count includes the first class's intercept: p + 1 at most
  const std::int64_t most = m.n_features() + (m.family == Family::multinomial ? 1 : 0);
  for (std::size_t k = 0; k < K; ++k)
    cv.nzero.push_back(r.integer(nzero[k], "cv.nzero[" + std::to_string(k) + "]", 0, most));
  const auto last = static_cast<std::int64_t>(K) - 1;
  cv.index_min = static_cast<std::size_t>(r.integer(r.member(v, "cv", "index_min"), "cv.index_min", 0, last));
  cv.index_1se = static_cast<std::size_t>(r.integer(r.member(v, "cv", "index_1se"), "cv.index_1se", 0, last));
  cv.lambda_min = r.number(r.member(v, "cv", "lambda_min"), "cv.lambda_min");
  cv.lambda_1se = r.number(r.member(v, "cv", "lambda_1se"), "cv.lambda_1se");
  if (cv.lambda_min != cv.lambdas[cv.index_min])
    r.fail("cv.lambda_min", "is not cv.lambdas[cv.index_min]");
  if (cv.lambda_1se != cv.lambdas[cv.index_1se])
    r.fail("cv.lambda_1se", "is not cv.lambdas[cv.index_1se]");
  m.cv = std::move(cv);
}

void read_path(const Reader& r, const Json& v, const Json& options, Model& m) {
  Path& path = m.path;
  path.n_features = static_cast<std::int64_t>(m.feature_names.size());
  path.family = m.family;
  path.precision = m.precision;
  path.lambda_max = r.number(r.member(v, "path", "lambda_max"), "path.lambda_max");
  const Json& lambdas = r.array(r.member(v, "path", "lambdas"), "path.lambdas", 0, true);
  if (lambdas.empty()) r.fail("path.lambdas", "is empty: a model needs at least one λ");
  const std::size_t K = lambdas.size();
  path.lambdas = r.numbers(lambdas, "path.lambdas", K);
  for (std::size_t k = 0; k < K; ++k) {
    if (!(path.lambdas[k] > 0)) r.fail("path.lambdas", "λ must be positive");
    if (k > 0 && !(path.lambdas[k] < path.lambdas[k - 1]))
      r.fail("path.lambdas", "must be strictly descending (λ " + std::to_string(k) + ")");
  }
  if (m.family == Family::multinomial) read_classes(r, v, options, m);
  path.intercepts.assign(K * static_cast<std::size_t>(columns_per_lambda(path)), 0.0);
  read_per_lambda(r, r.member(v, "path", "intercepts"), "path.intercepts", path,
                  [&](const Json& e, const std::string& field, std::size_t b) {
                    path.intercepts[b] = r.number(e, field);
                  });
  path.gaps = r.numbers(r.member(v, "path", "gaps"), "path.gaps", K);
  path.dev_ratio = r.numbers(r.member(v, "path", "dev_ratio"), "path.dev_ratio", K);
  const Json& status = r.array(r.member(v, "path", "status"), "path.status", K);
  for (std::size_t k = 0; k < K; ++k)
    path.status.push_back(parse_status(r, status[k], "path.status[" + std::to_string(k) + "]"));
  for (const char* key : {"iterations", "newton_steps"}) {
    std::vector<int>& out = std::string(key) == "iterations" ? path.iterations : path.newton_steps;
    const std::string field = std::string("path.") + key;
    if (!r.has(v, key)) {  // counts are informative: absent reads as 0
      out.assign(K, 0);
      continue;
    }
    const Json& a = r.array(r.member(v, "path", key), field, K);
    for (std::size_t k = 0; k < K; ++k)
      out.push_back(static_cast<int>(r.integer(a[k], field + "[" + std::to_string(k) + "]", 0,
                                               std::numeric_limits<int>::max())));
  }
  read_coefficients(r, r.member(v, "path", "coefficients"), path);
}

}  // namespace

Model make_model(const Path& path, const Options& options, std::vector<std::string> feature_names,
                 const MatrixView<double>* X) {
  Model m = base_model(path, options, std::move(feature_names), false);
  record_standardization(m, X);
  return m;
}

Model make_model(const CvResult& cv, const Options& options, std::vector<std::string> feature_names,
                 const MatrixView<double>* X) {
  if (cv.curves.empty()) throw std::invalid_argument("make_model: the cv result has no curve");
  const CvCurve& c = cv.curves[cv.best];
  Options o = options;
  o.alpha = c.alpha;
  Model m = base_model(c.path, o, std::move(feature_names), true);
  ModelCv mc;
  mc.nfolds = cv.nfolds;
  mc.lambdas = c.lambdas;
  mc.cvm = c.cvm;
  mc.cvsd = c.cvsd;
  mc.nzero = c.nzero;
  mc.index_min = c.index_min;
  mc.index_1se = c.index_1se;
  mc.lambda_min = c.lambda_min;
  mc.lambda_1se = c.lambda_1se;
  m.cv = std::move(mc);
  record_standardization(m, X);
  return m;
}

std::string model_to_json(const Model& m) {
  const Path& path = m.path;
  const auto K = static_cast<std::size_t>(path.nlambda());
  if (K == 0) throw std::invalid_argument("save_model: the path has no λ");
  const bool multinomial = m.family == Family::multinomial;
  const auto w = static_cast<std::size_t>(columns_per_lambda(path));
  if (multinomial != (path.n_classes > 0) || (multinomial && path.n_classes < 2) ||
      m.class_labels.size() != (multinomial ? w : 0))
    throw std::invalid_argument("save_model: family " + std::string(family_name(m.family)) +
                                " with " + std::to_string(path.n_classes) + " classes and " +
                                std::to_string(m.class_labels.size()) + " class labels");
  // as the reader requires: the classes' order is the labels' (a file it would refuse is
  // never written)
  for (std::size_t c = 1; c < m.class_labels.size(); ++c)
    if (!(m.class_labels[c] > m.class_labels[c - 1]))
      throw std::invalid_argument("save_model: the class labels must be strictly increasing "
                                  "(class " + std::to_string(c) + ")");
  if (static_cast<std::int64_t>(m.feature_names.size()) != path.n_features ||
      path.coefs.size() != K * w * static_cast<std::size_t>(path.n_features) ||
      path.intercepts.size() != K * w || path.status.size() != K || path.gaps.size() != K ||
      path.dev_ratio.size() != K)
    throw std::invalid_argument("save_model: the model's arrays do not match its " +
                                std::to_string(K) + " λ and " +
                                std::to_string(m.feature_names.size()) + " feature names");
  Json doc = Json::object();
  doc["format"] = kFormatName;
  doc["format_version"] = Model::kFormatVersion;
  // The oldest reader that can use this file: a later writer raises it only for a change an
  // older reader would misread (added keys keep it, since readers ignore unknown keys).
  // A model with an offset needs version 2: an older reader would predict without it. A
  // multinomial one needs version 3, which added the family.
  doc["min_reader_version"] = multinomial ? 3 : m.offset ? 2 : 1;
  doc["writer"] = std::string("regpath ") + REGPATH_VERSION;
  doc["kind"] = m.cv ? "cv" : "fit";
  doc["family"] = family_name(m.family);
  Json o = Json::object();
  o["alpha"] = m.alpha;
  o["standardize"] = m.standardize;
  o["intercept"] = m.intercept;
  o["glmnet_y_scaling"] = m.glmnet_y_scaling;
  o["tol"] = m.tol;
  o["offset"] = m.offset;
  o["precision"] = precision_name(m.precision);
  if (multinomial)
    o["type_multinomial"] =
        m.type_multinomial == MultinomialType::grouped ? "grouped" : "ungrouped";
  doc["options"] = std::move(o);
  Json f = Json::object();
  f["names"] = m.feature_names;
  if (!m.feature_centers.empty()) {
    f["centers"] = numbers_json(m.feature_centers, "features.centers");
    f["scales"] = numbers_json(m.feature_scales, "features.scales");
  }
  doc["features"] = std::move(f);
  Json p = Json::object();
  p["n_features"] = path.n_features;
  p["lambda_max"] = path.lambda_max;
  p["lambdas"] = numbers_json(path.lambdas, "path.lambdas");
  if (multinomial) {
    p["n_classes"] = path.n_classes;
    p["class_labels"] = numbers_json(m.class_labels, "path.class_labels");
  }
  p["intercepts"] = intercepts_json(path);
  Json status = Json::array();
  for (Status s : path.status) status.push_back(status_name(s));
  p["status"] = std::move(status);
  p["gaps"] = numbers_json(path.gaps, "path.gaps");
  p["dev_ratio"] = numbers_json(path.dev_ratio, "path.dev_ratio");
  if (path.iterations.size() == K) p["iterations"] = path.iterations;
  if (path.newton_steps.size() == K) p["newton_steps"] = path.newton_steps;
  p["coefficients"] = coefficients_json(path);
  doc["path"] = std::move(p);
  if (m.cv) {
    Json c = Json::object();
    c["nfolds"] = m.cv->nfolds;
    c["lambda_min"] = m.cv->lambda_min;
    c["lambda_1se"] = m.cv->lambda_1se;
    c["index_min"] = m.cv->index_min;
    c["index_1se"] = m.cv->index_1se;
    c["lambdas"] = numbers_json(m.cv->lambdas, "cv.lambdas");
    c["cvm"] = numbers_json(m.cv->cvm, "cv.cvm");
    c["cvsd"] = numbers_json(m.cv->cvsd, "cv.cvsd");
    c["nzero"] = m.cv->nzero;
    doc["cv"] = std::move(c);
  }
  std::string out;
  try {
    write_pretty(doc, 0, out);
  } catch (const nlohmann::json::exception& e) {  // a name that is not UTF-8
    throw std::invalid_argument(std::string("save_model: a feature name is not valid UTF-8, "
                                            "which a JSON model file cannot hold (") +
                                e.what() + ")");
  }
  out += '\n';
  return out;
}

Model model_from_json(const std::string& text, const std::string& source) {
  const Reader r(source);
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    r.fail("", std::string("not a valid JSON model file (truncated or corrupted?): ") +
                   printable(e.what()));
  }
  if (!doc.is_object() || !r.has(doc, "format") || !doc["format"].is_string() ||
      doc["format"].get<std::string>() != kFormatName)
    r.fail("", "not a regpath model file (no \"format\": \"regpath-model\")");
  const std::int64_t version =
      r.integer(r.member(doc, "", "format_version"), "format_version", 0,
                std::numeric_limits<std::int32_t>::max());
  const std::int64_t needs = r.has(doc, "min_reader_version")
                                 ? r.integer(doc["min_reader_version"], "min_reader_version", 0,
                                             std::numeric_limits<std::int32_t>::max())
                                 : version;
  const std::string writer =
      r.has(doc, "writer") && doc["writer"].is_string() ? doc["writer"].get<std::string>() : "";
  if (version < 1)
    r.fail("format_version", std::to_string(version) + " is not a format version (they start at "
                             "1); this regpath reads versions 1 to " +
                             std::to_string(Model::kFormatVersion));
  if (needs > Model::kFormatVersion)
    r.fail("format_version",
           "the file has format version " + std::to_string(version) + " (written by " +
               (writer.empty() ? std::string("an unknown writer") : printable(writer)) +
               ") and needs a reader of format version " + std::to_string(needs) +
               " or later; this regpath " + REGPATH_VERSION + " reads versions 1 to " +
               std::to_string(Model::kFormatVersion) + ": use a newer regpath");
  Model m;
  m.format_version = static_cast<int>(version);
  m.writer = writer;
  const std::string family = r.string(r.member(doc, "", "family"), "family");
  if (family == "gaussian") {
    m.family = Family::gaussian;
  } else if (family == "binomial") {
    m.family = Family::binomial;
  } else if (family == "poisson") {
    m.family = Family::poisson;
  } else if (family == "multinomial") {
    m.family = Family::multinomial;
  } else {
    r.fail("family", "unknown family '" + printable(family) +
                         "' (expected gaussian, binomial, poisson or multinomial)");
  }
  const std::string kind = r.string(r.member(doc, "", "kind"), "kind");
  if (kind != "fit" && kind != "cv") r.fail("kind", "expected \"fit\" or \"cv\"");
  const Json& o = r.member(doc, "", "options");
  m.alpha = r.number(r.member(o, "options", "alpha"), "options.alpha");
  if (m.alpha < 0 || m.alpha > 1) r.fail("options.alpha", "must be in [0, 1]");
  m.standardize = r.boolean(r.member(o, "options", "standardize"), "options.standardize");
  m.intercept = r.boolean(r.member(o, "options", "intercept"), "options.intercept");
  m.glmnet_y_scaling =
      r.boolean(r.member(o, "options", "glmnet_y_scaling"), "options.glmnet_y_scaling");
  m.tol = r.number(r.member(o, "options", "tol"), "options.tol");
  // added in version 2: absent (a version 1 file) reads as no offset
  m.offset = r.has(o, "offset") && r.boolean(o["offset"], "options.offset");
  const std::string precision = r.string(r.member(o, "options", "precision"), "options.precision");
  if (precision == "float64") {
    m.precision = Precision::float64;
  } else if (precision == "float32") {
    m.precision = Precision::float32;
  } else {
    r.fail("options.precision", "expected float64 or float32");
  }
  const Json& f = r.member(doc, "", "features");
  const Json& names = r.array(r.member(f, "features", "names"), "features.names", 0, true);
  if (names.empty()) r.fail("features.names", "is empty: a model needs at least one feature");
  std::set<std::string> seen;
  for (std::size_t j = 0; j < names.size(); ++j) {
    const std::string field = "features.names[" + std::to_string(j) + "]";
    std::string name = r.string(names[j], field);
    if (name.empty()) r.fail(field, "is empty");
    if (!seen.insert(name).second) r.fail(field, "'" + printable(name) + "' appears twice");
    m.feature_names.push_back(std::move(name));
  }
  const std::size_t p = m.feature_names.size();
  if (r.has(f, "centers") || r.has(f, "scales")) {
    m.feature_centers = r.numbers(r.member(f, "features", "centers"), "features.centers", p);
    m.feature_scales = r.numbers(r.member(f, "features", "scales"), "features.scales", p);
  }
  const Json& path = r.member(doc, "", "path");
  if (r.has(path, "n_features") &&
      r.integer(path["n_features"], "path.n_features", 0, std::numeric_limits<std::int64_t>::max()) !=
          static_cast<std::int64_t>(p))
    r.fail("path.n_features", "differs from the number of feature names");
  read_path(r, path, o, m);
  if (kind == "cv") read_cv(r, r.member(doc, "", "cv"), m);
  return m;
}

void save_model(const Model& model, const std::string& file) {
  const std::string text = model_to_json(model);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write the model file " + file);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write the model file " + file + " (disk full?)");
}

Model load_model(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec))
    throw std::runtime_error("cannot read the model file " + file + ": it is a directory");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the model file " + file);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read the model file " + file);
  return model_from_json(s.str(), file);
}

}  // namespace regpath
