// The backend concept: the primitives the algorithm calls, listed once. CpuBackend (the
// reference, cpu_backend.hpp, with the math of each) and CudaBackend meet it, each checked by a
// static_assert where it is defined; a new backend (a distributed one, another accelerator)
// implements this list and is tested against the CPU backend op by op.
//
// C++17 has no concepts: each requirement is an expression that must compile for a backend B
// with value_type T, Index std::int64_t and a Buffer with data()/size().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/engine/glm_scalar_ops.hpp"
#include "core/engine/scalar_ops.hpp"
#include "core/penalty/feature_penalty.hpp"

namespace regpath {

namespace detail {

template <class B>
using PenaltyOf = ops::FeaturePenalty<typename B::value_type>;

template <class B, class = void>
struct MeetsBackend : std::false_type {};

template <class B>
using BackendOps = decltype((
    // identity and memory: buffers, transfers (upload/download on the host side), a sync point
    std::declval<const B&>().name(), std::declval<const B&>().peak_bytes(),
    std::declval<B&>().allocate(std::size_t()).data(),
    std::declval<B&>().upload(std::declval<typename B::value_type*>(),
                              std::declval<const typename B::value_type*>(), std::size_t()),
    std::declval<B&>().download(std::declval<typename B::value_type*>(),
                                std::declval<const typename B::value_type*>(), std::size_t()),
    std::declval<B&>().copy(std::declval<typename B::value_type*>(),
                            std::declval<const typename B::value_type*>(), std::size_t()),
    std::declval<B&>().synchronize(),
    std::declval<B&>().set_zero(std::declval<typename B::value_type*>(), std::size_t()),
    // dense algebra: GEMM and the Gram matrix
    std::declval<B&>().gemm(false, false, 0, 0, 0, typename B::value_type(),
                            std::declval<const typename B::value_type*>(), 0,
                            std::declval<const typename B::value_type*>(), 0,
                            typename B::value_type(), std::declval<typename B::value_type*>(), 0),
    std::declval<B&>().gram(0, 0, typename B::value_type(),
                            std::declval<const typename B::value_type*>(), 0,
                            std::declval<typename B::value_type*>(), 0),
    // the design: standardization
    std::declval<B&>().standardize(0, 0, std::declval<typename B::value_type*>(), 0, false,
                                   false, std::declval<double*>(), std::declval<double*>()),
    // the iteration: fills, prox, momentum
    std::declval<B&>().fill_columns(0, 0, std::declval<typename B::value_type*>(), 0,
                                    std::declval<const typename B::value_type*>(),
                                    typename B::value_type()),
    std::declval<B&>().divide_columns(0, 0, std::declval<typename B::value_type*>(), 0,
                                      std::declval<const typename B::value_type*>()),
    std::declval<B&>().prox_step(0, 0, std::declval<const typename B::value_type*>(),
                                 std::declval<const typename B::value_type*>(),
                                 std::declval<const typename B::value_type*>(),
                                 std::declval<const typename B::value_type*>(),
                                 typename B::value_type(), std::declval<const PenaltyOf<B>&>(),
                                 std::declval<typename B::value_type*>()),
    std::declval<B&>().momentum_step(0, 0, std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<typename B::value_type*>(),
                                     std::declval<typename B::value_type*>()),
    std::declval<B&>().restart_columns(0, 0, std::declval<const typename B::value_type*>(),
                                       std::declval<typename B::value_type*>(),
                                       std::declval<typename B::value_type*>(),
                                       std::declval<typename B::value_type*>(),
                                       std::declval<const typename B::value_type*>()),
    // the certificates: per-column reductions with host outputs
    std::declval<B&>().gap_terms(0, 0, std::declval<const typename B::value_type*>(),
                                 std::declval<const typename B::value_type*>(),
                                 std::declval<const typename B::value_type*>(),
                                 std::declval<const typename B::value_type*>(),
                                 typename B::value_type(), std::declval<const PenaltyOf<B>&>(),
                                 std::declval<ops::GapTerms*>()),
    std::declval<B&>().penalty_terms(0, 0, std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(), 0,
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const PenaltyOf<B>&>(),
                                     std::declval<ops::PenaltyTerms*>()),
    std::declval<B&>().column_dots(0, 0, std::declval<const typename B::value_type*>(), 0,
                                   std::declval<const typename B::value_type*>(), 0,
                                   std::declval<double*>()),
    std::declval<B&>().row_violations(0, 0, std::declval<const typename B::value_type*>(), 0,
                                      std::declval<const typename B::value_type*>(),
                                      typename B::value_type(), std::declval<const PenaltyOf<B>&>(),
                                      std::declval<double*>()),
    // the working set and the block's bookkeeping: gathers, scatters, compaction
    std::declval<B&>().gather_rows(0, 0, std::declval<const typename B::value_type*>(), 0,
                                   std::declval<const std::vector<std::int64_t>&>(),
                                   std::declval<typename B::value_type*>(), 0),
    std::declval<B&>().scatter_rows(0, 0, std::declval<const typename B::value_type*>(), 0,
                                    std::declval<const std::vector<std::int64_t>&>(),
                                    std::declval<typename B::value_type*>(), 0),
    std::declval<B&>().gather_columns(0, std::declval<const typename B::value_type*>(), 0,
                                      std::declval<const std::vector<std::int64_t>&>(),
                                      std::declval<typename B::value_type*>()),
    std::declval<B&>().compact_columns(0, std::declval<typename B::value_type*>(), 0,
                                       std::declval<const std::vector<std::int64_t>&>()),
    // the GLM batch: the datafit's pointwise pass, the raw ↔ standardized maps, its prox
    std::declval<B&>().glm_pointwise(ops::GlmOp::loss, ops::Datafit::quadratic, 0, 0,
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>()),
    std::declval<B&>().to_raw(0, 0, std::declval<const typename B::value_type*>(),
                              std::declval<const typename B::value_type*>(),
                              std::declval<const typename B::value_type*>(),
                              std::declval<const typename B::value_type*>(),
                              std::declval<typename B::value_type*>()),
    std::declval<B&>().from_raw_gradient(0, 0, std::declval<const typename B::value_type*>(),
                                         std::declval<const typename B::value_type*>(),
                                         std::declval<const typename B::value_type*>(),
                                         std::declval<const typename B::value_type*>(), false,
                                         std::declval<typename B::value_type*>()),
    std::declval<B&>().prox_step_glm(0, 0, std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const typename B::value_type*>(),
                                     std::declval<const PenaltyOf<B>&>(),
                                     std::declval<typename B::value_type*>()),
    0));

template <class B>
struct MeetsBackend<B, std::void_t<BackendOps<B>>> : std::true_type {};

}  // namespace detail

// Whether B provides every primitive of the backend concept (with the argument types above).
template <class B>
constexpr bool is_backend_v = detail::MeetsBackend<B>::value;

}  // namespace regpath
