// A CPU backend that counts what a GPU backend would pay for each primitive the algorithm calls:
// kernel launches (every compute primitive; a GEMM counts one), host synchronizations (download,
// synchronize, and the primitives with host outputs), and bytes between host and device (uploads,
// downloads, host outputs). The algorithm is templated on the backend, so these methods hide the
// CPU backend's and every call is seen.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/backend_concept.hpp"
#include "backends/cpu_backend.hpp"

namespace regpath::test {

struct BackendCounts {
  std::int64_t launches = 0, syncs = 0, bytes = 0, uploads = 0, downloads = 0;

  BackendCounts operator-(const BackendCounts& o) const {
    return {launches - o.launches, syncs - o.syncs, bytes - o.bytes, uploads - o.uploads,
            downloads - o.downloads};
  }
};

template <typename T>
class CountingBackend : public CpuBackend<T> {
  using Base = CpuBackend<T>;

 public:
  using Index = typename Base::Index;
  BackendCounts counts;

  void upload(T* dst, const T* src, std::size_t count) {
    ++counts.uploads;
    counts.bytes += std::int64_t(count * sizeof(T));
    Base::upload(dst, src, count);
  }
  void download(T* dst, const T* src, std::size_t count) {
    ++counts.downloads;
    ++counts.syncs;
    counts.bytes += std::int64_t(count * sizeof(T));
    Base::download(dst, src, count);
  }
  void copy(T* dst, const T* src, std::size_t count) {
    launch();
    Base::copy(dst, src, count);
  }
  void synchronize() { ++counts.syncs; }
  void gemm(bool ta, bool tb, Index m, Index n, Index k, T alpha, const T* A, Index lda,
            const T* B, Index ldb, T beta, T* C, Index ldc) {
    launch();
    Base::gemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  }
  void gram(Index rows, Index p, T alpha, const T* A, Index lda, T* C, Index ldc) {
    launch();
    Base::gram(rows, p, alpha, A, lda, C, ldc);
  }
  void standardize(Index n, Index p, T* X, Index ldx, bool center, bool scale, double* mean_out,
                   double* scale_out) {
    host_output(2 * p);
    Base::standardize(n, p, X, ldx, center, scale, mean_out, scale_out);
  }
  void fill_columns(Index rows, Index cols, T* M, Index ldm, const T* v, T s) {
    launch();
    Base::fill_columns(rows, cols, M, ldm, v, s);
  }
  void divide_columns(Index rows, Index cols, T* M, Index ldm, const T* d) {
    launch();
    Base::divide_columns(rows, cols, M, ldm, d);
  }
  void prox_step(Index p, Index K, const T* Y, const T* G, const T* step, const T* lambda, T alpha,
                 const ops::FeaturePenalty<T>& penalty, T* B_next) {
    launch();
    Base::prox_step(p, K, Y, G, step, lambda, alpha, penalty, B_next);
  }
  void momentum_step(Index p, Index K, const T* B_next, const T* B_cur, T* Y, T* theta) {
    launch();
    Base::momentum_step(p, K, B_next, B_cur, Y, theta);
  }
  void restart_columns(Index rows, Index K, const T* restart, T* step, T* theta, T* Y,
                       const T* B) {
    launch();
    Base::restart_columns(rows, K, restart, step, theta, Y, B);
  }
  void gap_terms(Index p, Index K, const T* B, const T* G, const T* c, const T* lambda, T alpha,
                 const ops::FeaturePenalty<T>& penalty, ops::GapTerms* out) {
    host_output(K * Index(sizeof(ops::GapTerms) / sizeof(double)));
    Base::gap_terms(p, K, B, G, c, lambda, alpha, penalty, out);
  }
  void penalty_terms(Index p, Index K, const T* B, const T* G, Index ld, const T* lambda,
                     const T* alpha, const ops::FeaturePenalty<T>& penalty, ops::PenaltyTerms* out) {
    host_output(K * ops::PenaltyTerms::count);
    Base::penalty_terms(p, K, B, G, ld, lambda, alpha, penalty, out);
  }
  void column_dots(Index rows, Index K, const T* A, Index lda, const T* B, Index ldb, double* out) {
    host_output(K);
    Base::column_dots(rows, K, A, lda, B, ldb, out);
  }
  void set_zero(T* dst, std::size_t count) {
    launch();
    Base::set_zero(dst, count);
  }
  void gather_rows(Index rows, Index cols, const T* src, Index lds, const std::vector<Index>& idx,
                   T* dst, Index ldd) {
    launch();
    Base::gather_rows(rows, cols, src, lds, idx, dst, ldd);
  }
  void scatter_rows(Index rows, Index cols, const T* src, Index lds, const std::vector<Index>& idx,
                    T* dst, Index ldd) {
    launch();
    Base::scatter_rows(rows, cols, src, lds, idx, dst, ldd);
  }
  void row_violations(Index p, Index K, const T* G, Index ldg, const T* lambda, T alpha,
                      const ops::FeaturePenalty<T>& penalty, double* out) {
    host_output(p);
    Base::row_violations(p, K, G, ldg, lambda, alpha, penalty, out);
  }
  void gather_columns(Index rows, const T* src, Index lds, const std::vector<Index>& idx, T* dst) {
    launch();
    Base::gather_columns(rows, src, lds, idx, dst);
  }
  void compact_columns(Index rows, T* M, Index ldm, const std::vector<Index>& keep) {
    launch();
    Base::compact_columns(rows, M, ldm, keep);
  }
  void glm_pointwise(ops::GlmOp op, ops::Datafit d, Index n, Index K, const T* E, const T* y,
                     const T* row_fold, const T* col, T* out, const T* row_weight = nullptr) {
    launch();
    Base::glm_pointwise(op, d, n, K, E, y, row_fold, col, out, row_weight);
  }
  void to_raw(Index p, Index K, const T* S, const T* Mu, const T* col, const T* B, T* Braw) {
    launch();
    Base::to_raw(p, K, S, Mu, col, B, Braw);
  }
  void from_raw_gradient(Index p, Index K, const T* S, const T* Mu, const T* col, const T* Graw,
                         bool intercept, T* G) {
    launch();
    Base::from_raw_gradient(p, K, S, Mu, col, Graw, intercept, G);
  }
  void prox_step_glm(Index p, Index K, const T* Y, const T* G, const T* step, const T* lambda,
                     const T* alpha, const ops::FeaturePenalty<T>& penalty, T* B_next) {
    launch();
    Base::prox_step_glm(p, K, Y, G, step, lambda, alpha, penalty, B_next);
  }

 private:
  void launch() { ++counts.launches; }
  // a primitive whose result comes back to the host: a launch, a sync and the bytes
  void host_output(Index values) {
    ++counts.launches;
    ++counts.syncs;
    ++counts.downloads;
    counts.bytes += std::int64_t(values) * std::int64_t(sizeof(double));
  }
};

static_assert(is_backend_v<CountingBackend<double>>, "the counting backend is a backend");

}  // namespace regpath::test
