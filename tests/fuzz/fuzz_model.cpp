// libFuzzer target: the model file reader (src/model/model.cpp, regpath::model_from_json) on
// arbitrary bytes, and what a model read from them is used for (src/api/predict.cpp). Built and
// run by scripts/fuzz (not by CI). Beyond "no crash, no sanitizer report", it checks the reader's
// promises: it either returns a model whose arrays agree with each other (p names, nλ strictly
// descending positive λ, p × nλ coefficients — multinomial: p × nλ·C, C ≥ 2 increasing class
// labels —, a cv curve on the same λ), which writes back to a
// text that reads as the same model, and which coefficients() and predict() use in bounds; or it
// throws ModelError whose message holds no raw control byte.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "regpath/regpath.hpp"

namespace {

void check_message(const char* what) {
  for (const char* p = what; *p; ++p)
    if (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7F) std::abort();
}

void check_model(const regpath::Model& m) {
  const regpath::Path& path = m.path;
  const std::size_t p = m.feature_names.size(), K = path.lambdas.size();
  if (p == 0 || K == 0 || static_cast<std::size_t>(path.n_features) != p) std::abort();
  const bool multinomial = m.family == regpath::Family::multinomial;
  if (multinomial != (path.n_classes >= 2) || (!multinomial && path.n_classes != 0) ||
      m.class_labels.size() != static_cast<std::size_t>(path.n_classes))
    std::abort();
  for (std::size_t c = 1; c < m.class_labels.size(); ++c)
    if (!(m.class_labels[c] > m.class_labels[c - 1])) std::abort();
  const std::size_t w = multinomial ? static_cast<std::size_t>(path.n_classes) : 1;
  if (path.coefs.size() != p * K * w || path.intercepts.size() != K * w ||
      path.status.size() != K ||
      path.gaps.size() != K || path.dev_ratio.size() != K || path.iterations.size() != K ||
      path.newton_steps.size() != K)
    std::abort();
  for (std::size_t k = 0; k < K; ++k)
    if (!(path.lambdas[k] > 0) || (k > 0 && !(path.lambdas[k] < path.lambdas[k - 1])))
      std::abort();
  for (double v : path.coefs)
    if (!std::isfinite(v)) std::abort();
  if (!m.feature_centers.empty() && (m.feature_centers.size() != p || m.feature_scales.size() != p))
    std::abort();
  if (m.cv && (m.cv->lambdas != path.lambdas || m.cv->cvm.size() != K || m.cv->cvsd.size() != K ||
               m.cv->nzero.size() != K || m.cv->index_min >= K || m.cv->index_1se >= K))
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  regpath::Model m;
  try {
    m = regpath::model_from_json(text, "fuzz.json");
  } catch (const regpath::ModelError& e) {
    check_message(e.what());
    return 0;
  }
  check_model(m);
  // Written again, it reads back as the same model (its text is a fixed point).
  std::string again;
  try {
    again = regpath::model_to_json(m);
  } catch (const std::invalid_argument& e) {  // only a name that is not UTF-8 may refuse
    if (std::string(e.what()).find("UTF-8") == std::string::npos) std::abort();
    return 0;
  }
  if (regpath::model_to_json(regpath::model_from_json(again, "again.json")) != again) std::abort();
  // Used: coefficients and predictions at the ends, between and beyond the path.
  std::vector<double> lambdas;
  for (double s : {m.path.lambdas.front() * 2, m.path.lambdas.front(), m.path.lambdas.back() * 0.5,
                   0.0, 0.5 * m.path.lambdas.front() + 0.5 * m.path.lambdas.back()})
    if (std::isfinite(s)) lambdas.push_back(s);
  const regpath::Coefficients c = regpath::coefficients(m, lambdas);
  const std::size_t w = m.family == regpath::Family::multinomial
                            ? static_cast<std::size_t>(m.path.n_classes)
                            : 1;
  if (c.coefs.size() != lambdas.size() * w * m.feature_names.size()) std::abort();
  const std::int64_t p = m.n_features();
  if (p <= 64) {
    const std::vector<double> X(static_cast<std::size_t>(2 * p), 0.5);
    const auto type = m.family == regpath::Family::binomial ? regpath::PredictType::class_label
                                                            : regpath::PredictType::response;
    const std::vector<double> out =
        regpath::predict(m, regpath::MatrixView<double>{X.data(), 2, p, 2}, lambdas, type);
    if (out.size() != 2 * lambdas.size() * w) std::abort();
    if (m.family == regpath::Family::multinomial) {  // its classes: labels of the model
      const std::vector<double> cls = regpath::predict(
          m, regpath::MatrixView<double>{X.data(), 2, p, 2}, lambdas,
          regpath::PredictType::class_label);
      if (cls.size() != 2 * lambdas.size()) std::abort();
      for (double v : cls)
        if (std::find(m.class_labels.begin(), m.class_labels.end(), v) == m.class_labels.end())
          std::abort();
    }
  }
  return 0;
}
