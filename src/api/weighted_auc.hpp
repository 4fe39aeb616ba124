// The AUC of scored 0/1 observations with weights (cv.glmnet's auc(y, prob, w)): with W₀, W₁
// the classes' weight sums,
//     AUC = Σ_{i: y=1} Σ_{j: y=0} w_i·w_j·[η_j < η_i] / (W₀·W₁),
// a tie η_i = η_j counting ½ (glmnet breaks ties at random; ½ is that draw's expectation).
// Weights of 1 give the unweighted count of pairs ranked right. Private.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace regpath::detail {

struct ScoredRow {
  double eta = 0;     // the linear predictor (any increasing map of it ranks the same)
  int cls = 0;        // 0 or 1
  double weight = 1;  // ≥ 0
  bool operator<(const ScoredRow& o) const { return eta < o.eta; }
};

// The weighted AUC and the classes' weight sums W₀, W₁ (the AUC is 0 when either is 0: the
// caller names that). Sorts `rows` by η.
struct RankedAuc {
  double auc = 0, weight0 = 0, weight1 = 0;
};

inline RankedAuc ranked_auc(std::vector<ScoredRow>& rows) {
  std::sort(rows.begin(), rows.end());
  double negatives_below = 0, pairs = 0;
  RankedAuc r;
  for (std::size_t a = 0; a < rows.size();) {
    std::size_t b = a;
    double zeros = 0, ones = 0;  // the weights of the tie group's classes
    for (; b < rows.size() && rows[b].eta == rows[a].eta; ++b)
      (rows[b].cls ? ones : zeros) += rows[b].weight;
    pairs += ones * (negatives_below + 0.5 * zeros);
    negatives_below += zeros;
    r.weight0 += zeros;
    r.weight1 += ones;
    a = b;
  }
  if (r.weight0 > 0 && r.weight1 > 0) r.auc = pairs / (r.weight0 * r.weight1);
  return r;
}

}  // namespace regpath::detail
