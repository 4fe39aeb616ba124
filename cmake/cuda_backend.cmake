# The CUDA backend (kernels/), added to the regpath library when REGPATH_WITH_CUDA
# is on. Architectures come from CMAKE_CUDA_ARCHITECTURES (90, Hopper, by default; never native).
target_sources(regpath PRIVATE
  kernels/cuda_runtime.cu        # is a device usable?
  kernels/cuda_backend.cu        # CudaBackend<T>: memory, transfers, cuBLAS, kernel launches
  kernels/cublas_loader.cpp      # cuBLAS through dlopen, on first device use
  kernels/elementwise_kernels.cu # fill_columns, prox_step, mirror, row/column gather, scatter
  kernels/column_kernels.cu      # reductions: standardize, momentum, gap terms, dots, violations
  kernels/glm_kernels.cu         # the GLM batch: pointwise losses, raw/standardized maps, prox
  kernels/device_input.cu)       # is_device_memory, for the C API's device-memory input
target_compile_features(regpath PRIVATE cuda_std_17)
set_target_properties(regpath PROPERTIES CUDA_SEPARABLE_COMPILATION OFF
                                         CUDA_RUNTIME_LIBRARY Static)
# --fmad=false: no fused multiply-adds in the kernels, so that their elementwise arithmetic is
# the CPU backend's, bit for bit (the kernels are memory-bound; cuBLAS is not affected).
target_compile_options(regpath PRIVATE
  $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr --fmad=false -Xcompiler=-Wall,-Wextra>)
# The CUDA runtime is linked statically (small; it loads libcuda, the driver, only when first
# called) and cuBLAS is not linked at all: kernels/cublas_loader.cpp dlopens it the first time a
# device is asked for, so that a process that never uses one does not map its 200+ MB.
target_link_libraries(regpath PRIVATE CUDA::cudart_static ${CMAKE_DL_LIBS})
string(REPLACE ";" "," _regpath_cuda_archs "${CMAKE_CUDA_ARCHITECTURES}")  # named in messages
target_compile_definitions(regpath PRIVATE REGPATH_HAS_CUDA=1
                           REGPATH_CUDA_ARCHITECTURES="${_regpath_cuda_archs}"
                           REGPATH_CUDA_LIBRARY_DIR="${CUDAToolkit_LIBRARY_DIR}")
