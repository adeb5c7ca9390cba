// Row-major C ← α op(A) op(B) + β C as Flatland's `Float.gemm` multiplies it, for the C
// benchmarks of this folder: through OpenBLAS, or (built with -DWITH_XSMM -lxsmm) through
// libxsmm 1.17's JIT kernels mapped as `SmallGEMM` maps them. libxsmm's kernels are
// column-major with α = 1, β ∈ {0, 1} and a transposed second operand only: C = op(A) B is the
// kernel Cᵀ = Bᵀ op(A)ᵀ on the operands as they lie (α ≠ 1 scales a copy of the smaller one,
// other β scale C first); C = A Bᵀ runs the kernel D = A Bᵀ on a transposed copy of A and writes
// C ← α Dᵀ + β C (the copy by libxsmm's transpose kernel); C = Aᵀ Bᵀ has no kernel.
#pragma once
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef WITH_XSMM
#include <libxsmm.h>
#endif

// BLAS: OpenBLAS for every product; BY_RULE: where `SmallGEMM.rule` sends it; XSMM: libxsmm
// for every product it can multiply (to measure the rule's thresholds).
enum kernels { BLAS, BY_RULE, XSMM };

// `SmallGEMM.rule`: whether libxsmm multiplies this product.
static inline int small_rule(int ta, int tb, int m, int n, int k) {
    if (m <= 0 || n <= 0 || k <= 0 || m > 1024 || n > 1024 || k > 1024) return 0;
    if (!ta && !tb) return k <= 32;
    if (ta && !tb) return k <= 16 || (m <= 16 && k <= 256);
    if (!ta && tb) return m >= 8 && m <= 32;
    return 0;
}

#ifdef WITH_XSMM
// One thread's kernels by shape (a handful per model) and its scratch.
enum { CACHED_KERNELS = 64 };
static __thread struct { int key[7]; libxsmm_smmfunction f; } small_cache[CACHED_KERNELS];
static __thread int small_cached;
static __thread float *small_scratch;
static __thread long small_capacity;

static libxsmm_smmfunction small_kernel(int m, int n, int k, int lda, int ldb, int ldc, int flags) {
    int key[7] = {m, n, k, lda, ldb, ldc, flags};
    for (int i = 0; i < small_cached; i++)
        if (!memcmp(small_cache[i].key, key, sizeof key)) return small_cache[i].f;
    float alpha = 1, beta = (flags & LIBXSMM_GEMM_FLAG_BETA_0) ? 0 : 1;
    libxsmm_smmfunction f = libxsmm_smmdispatch(m, n, k, &lda, &ldb, &ldc, &alpha, &beta, &flags, NULL);
    if (!f || small_cached == CACHED_KERNELS) {
        fprintf(stderr, "small_gemm: no libxsmm kernel for %d×%d×%d\n", m, n, k);
        exit(1);
    }
    memcpy(small_cache[small_cached].key, key, sizeof key);
    small_cache[small_cached++].f = f;
    return f;
}

static float *small_reserve(long count) {
    if (count > small_capacity) {
        free(small_scratch);
        small_scratch = malloc(sizeof(float) * count);
        small_capacity = count;
    }
    return small_scratch;
}

static void small_gemm(int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda, const float *b,
                       int ldb, float beta, float *c, int ldc) {
    if (tb) {
        libxsmm_smmfunction f = small_kernel(m, n, k, m, ldb, m, LIBXSMM_GEMM_FLAG_BETA_0);
        float *at = small_reserve((long)m * k + (long)m * n), *d = at + (long)m * k;
        libxsmm_otrans(at, a, sizeof(float), k, m, lda, m);  // A (m×k, row-major) into column-major
        f(at, b, d);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                c[i * ldc + j] = alpha * d[j * m + i] + (beta == 0 ? 0 : beta * c[i * ldc + j]);
        return;
    }
    libxsmm_smmfunction f =
        small_kernel(n, m, k, ldb, lda, ldc, (ta ? LIBXSMM_GEMM_FLAG_TRANS_B : 0) | (beta == 0 ? LIBXSMM_GEMM_FLAG_BETA_0 : 0));
    if (beta != 0 && beta != 1)
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] *= beta;
    if (alpha != 1) {
        if ((long)m * k <= (long)k * n) {
            int rows = ta ? k : m, cols = ta ? m : k;
            float *s = small_reserve((long)(rows - 1) * lda + cols);
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < cols; j++) s[r * lda + j] = alpha * a[r * lda + j];
            a = s;
        } else {
            float *s = small_reserve((long)(k - 1) * ldb + n);
            for (int r = 0; r < k; r++)
                for (int j = 0; j < n; j++) s[r * ldb + j] = alpha * b[r * ldb + j];
            b = s;
        }
    }
    f(b, a, c);
}
#endif

static void gemm_as(enum kernels kernels, int ta, int tb, int m, int n, int k, float alpha, const float *a, int lda,
                    const float *b, int ldb, float beta, float *c, int ldc) {
#ifdef WITH_XSMM
    if (kernels == XSMM ? !(ta && tb) : kernels == BY_RULE && small_rule(ta, tb, m, n, k)) {
        small_gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
#endif
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc);
}
