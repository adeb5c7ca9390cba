// libxsmm's JIT small-GEMM kernels, from Debian's libxsmm-dev (a static library that needs no
// BLAS of its own here: Flatland links OpenBLAS, which provides the BLAS symbols it refers to).
// libxsmm's kernel type is a variadic function pointer, which Swift cannot call, so a kernel
// crosses into Swift as an opaque pointer and is called through `flatland_smm_call`.
#pragma once
#include <libxsmm.h>

// The column-major kernel C (m×n) = A (m×k) op(B) + beta C with alpha = 1 and beta 0 or 1,
// op(B) = B or Bᵀ by `LIBXSMM_GEMM_FLAG_TRANS_B` in flags; NULL when libxsmm cannot make it.
static inline const void *flatland_smm_dispatch(int m, int n, int k, int lda, int ldb, int ldc, int flags) {
  const float alpha = 1;
  const float beta = (flags & LIBXSMM_GEMM_FLAG_BETA_0) ? 0 : 1;
  const int prefetch = LIBXSMM_PREFETCH_NONE;
  return (const void *)libxsmm_smmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, &prefetch);
}

// Runs a kernel made by `flatland_smm_dispatch` on column-major a, b, c.
static inline void flatland_smm_call(const void *kernel, const float *a, const float *b, float *c) {
  ((libxsmm_smmfunction)kernel)(a, b, c);
}

static const int flatland_smm_trans_b = LIBXSMM_GEMM_FLAG_TRANS_B;
static const int flatland_smm_beta_0 = LIBXSMM_GEMM_FLAG_BETA_0;
