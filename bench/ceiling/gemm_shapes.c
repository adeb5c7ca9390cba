// The measurements behind `SmallGEMM.rule`: one row-major product C ← α op(A) op(B) + β C,
// single-threaded, through OpenBLAS and through libxsmm as Flatland maps it (small_gemm.h),
// over 16 agents' own operands taken in turn as in per-agent training. The two are timed in
// alternation, eleven rounds each, in thread CPU time (so other processes on a busy machine
// cost less than they would in wall time); prints the best GFLOPS of each, their ratio, the
// median of the paired ratios, and the library the rule picks.
//
// Usage: gemm_shapes TRANSA(0|1) TRANSB(0|1) M N K ALPHA BETA
// Build: cc -O2 -DWITH_XSMM -o gemm_shapes gemm_shapes.c -lxsmm -lopenblas -lpthread -lrt -ldl -lm
#include "small_gemm.h"
#include <time.h>

void openblas_set_num_threads(int);

enum { AGENTS = 16, ROUNDS = 11 };
static float *a[AGENTS], *b[AGENTS], *c[AGENTS];
static int ta, tb, m, n, k, reps;
static float alpha, beta;

static double rate(enum kernels kernels) {
    struct timespec t0, t1;
    int lda = ta ? m : k, ldb = tb ? k : n;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    for (int r = 0; r < reps; r++)
        for (int g = 0; g < AGENTS; g++) gemm_as(kernels, ta, tb, m, n, k, alpha, a[g], lda, b[g], ldb, beta, c[g], n);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    return 2.0 * m * n * k * AGENTS * reps / seconds / 1e9;
}

static int ascending(const void *x, const void *y) {
    double u = *(const double *)x, v = *(const double *)y;
    return (u > v) - (u < v);
}

int main(int argc, char **argv) {
    if (argc != 8 || (ta = atoi(argv[1])) < 0 || ta > 1 || (tb = atoi(argv[2])) < 0 || tb > 1 || (m = atoi(argv[3])) < 1 ||
        (n = atoi(argv[4])) < 1 || (k = atoi(argv[5])) < 1 || (ta && tb)) {
        fprintf(stderr, "usage: gemm_shapes TRANSA(0|1) TRANSB(0|1, not both 1) M N K ALPHA BETA\n");
        return 2;
    }
#ifndef WITH_XSMM
    fprintf(stderr, "gemm_shapes: built without libxsmm (install libxsmm-dev, build with -DWITH_XSMM -lxsmm)\n");
    return 2;
#endif
    alpha = (float)atof(argv[6]);
    beta = (float)atof(argv[7]);
    openblas_set_num_threads(1);
    for (int g = 0; g < AGENTS; g++) {
        a[g] = malloc(sizeof(float) * m * k);
        b[g] = malloc(sizeof(float) * k * n);
        c[g] = calloc((size_t)m * n, sizeof(float));
        for (long i = 0; i < (long)m * k; i++) a[g][i] = (float)(i % 7) * 0.1f;
        for (long i = 0; i < (long)k * n; i++) b[g][i] = (float)(i % 5) * 0.1f;
    }
    reps = (int)(2e9 / (2.0 * m * n * k * AGENTS)) + 1;  // about 0.05 s per timing at 40 GFLOPS
    double blas[ROUNDS], xsmm[ROUNDS], ratio[ROUNDS], best_blas = 0, best_xsmm = 0;
    rate(BLAS), rate(XSMM);  // warm-up: caches, kernels dispatched
    for (int r = 0; r < ROUNDS; r++) {
        blas[r] = rate(BLAS);
        xsmm[r] = rate(XSMM);
        ratio[r] = xsmm[r] / blas[r];
        best_blas = blas[r] > best_blas ? blas[r] : best_blas;
        best_xsmm = xsmm[r] > best_xsmm ? xsmm[r] : best_xsmm;
    }
    qsort(ratio, ROUNDS, sizeof ratio[0], ascending);
    printf("%s%s %4d×%4d×%4d α=%g β=%g  OpenBLAS %6.1f  libxsmm %6.1f GFLOPS  ratio %.2f (paired median %.2f)  rule: %s\n",
           ta ? "T" : "N", tb ? "T" : "N", m, n, k, alpha, beta, best_blas, best_xsmm, best_xsmm / best_blas,
           ratio[ROUNDS / 2], small_rule(ta, tb, m, n, k) ? "libxsmm" : "OpenBLAS");
    return 0;
}
