# The CUDA backend (kernels/), added to the regpath library when REGPATH_WITH_CUDA is on.
target_sources(regpath PRIVATE kernels/cuda_runtime.cu src/api/device_input_stub.cpp)
set_target_properties(regpath PROPERTIES CUDA_SEPARABLE_COMPILATION OFF
                                         CUDA_RUNTIME_LIBRARY Shared)
target_compile_options(regpath PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:--expt-relaxed-constexpr -Xcompiler=-Wall>)
target_link_libraries(regpath PRIVATE CUDA::cudart CUDA::cublas)
target_compile_definitions(regpath PRIVATE REGPATH_HAS_CUDA=1)
