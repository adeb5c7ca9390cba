// The ceiling of W1/W2 on the machine it runs on: the BLAS products Flatland runs per iteration
// of diffusion ATC with mlp:256,256, and nothing else — no data loading, sampling, softmax or
// bookkeeping — in plain C over the same OpenBLAS, so it shows how fast any implementation that
// sends its products through BLAS can go, with and without the combine step.
//
// Per agent and iteration, as Flatland does it: forward y_l = x_l W_lᵀ + b_l (y starts as b,
// GEMM β = 1), ReLU; a stand-in loss gradient (a scaled copy of the logits: the softmax costs
// no memory traffic worth counting); backward dx = dy W (layers above the first) and the SGD
// step fused into the weight-gradient GEMM, W ← W − (μ/B) dyᵀ x (α = −μ/B, β = 1). Agents are
// split in two halves, one per thread, each product single-threaded. The combine is the ring
// with Metropolis weights (1/3 each), in place: each 16 KiB block of all K rows is mixed into
// a per-thread staging buffer and copied back, as `RowMixing.combine` does.
//
// KERNELS is `blas` (every product through OpenBLAS, the default) or `xsmm` (built with
// -DWITH_XSMM -lxsmm): each product goes where Flatland's `SmallGEMM.rule` sends it, libxsmm's
// JIT kernels for the skinny ones (dispatched once per shape and thread, mapped as Flatland
// maps them: see small_gemm.h) and OpenBLAS for the rest.
//
// Usage: gemm_ceiling AGENTS BATCH COMBINE(0|1) [KERNELS]    (one epoch of 60,000 samples)
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "small_gemm.h"

void openblas_set_num_threads(int);

enum { LAYERS = 3, BLOCK = 4096, MAX_AGENTS = 64 };
static const int widths[LAYERS + 1] = {784, 256, 256, 10};
static int agents, batch, combine, steps;
static long count, offset[LAYERS];  // parameters per agent; W_l then b_l at offset[l]
static float *params, *inputs;      // agents × count; agents × batch × 784
static pthread_barrier_t barrier;
static int xsmm;                    // KERNELS == xsmm

static void iterate(int k, float *act[], float *grad[]) {
    float *w = params + (long)k * count;
    act[0] = inputs + (long)k * batch * widths[0];
    for (int l = 0; l < LAYERS; l++) {
        int in = widths[l], out = widths[l + 1];
        float *W = w + offset[l], *b = W + (long)in * out, *y = act[l + 1];
        for (int i = 0; i < batch; i++) memcpy(y + i * out, b, out * sizeof(float));
        gemm_as(xsmm ? BY_RULE : BLAS, 0, 1, batch, out, in, 1, act[l], in, W, in, 1, y, out);
        if (l + 1 < LAYERS) for (int i = 0; i < batch * out; i++) y[i] = y[i] > 0 ? y[i] : 0;
    }
    for (int i = 0; i < batch * widths[LAYERS]; i++) grad[LAYERS][i] = act[LAYERS][i] * 1e-3f;
    for (int l = LAYERS - 1; l >= 0; l--) {
        int in = widths[l], out = widths[l + 1];
        float *W = w + offset[l], *b = W + (long)in * out, *dy = grad[l + 1];
        if (l > 0) {
            gemm_as(xsmm ? BY_RULE : BLAS, 0, 0, batch, in, out, 1, dy, out, W, in, 0, grad[l], in);
            for (int i = 0; i < batch * in; i++) if (act[l][i] <= 0) grad[l][i] = 0;
        }
        gemm_as(xsmm ? BY_RULE : BLAS, 1, 0, out, in, batch, -0.05f / batch, dy, out, act[l], in, 1, W, in);
        for (int i = 0; i < batch; i++) for (int j = 0; j < out; j++) b[j] -= 0.05f / batch * dy[i * out + j];
    }
}

// Thread t's half of the coordinate blocks: w_k ← (w_{k−1} + w_k + w_{k+1}) / 3 for every k.
static void mix(int t, float *staged) {
    const float third = 1.0f / 3;
    long blocks = (count + BLOCK - 1) / BLOCK;
    for (long blk = t * blocks / 2; blk < (t + 1) * blocks / 2; blk++) {
        long lo = blk * BLOCK, n = lo + BLOCK < count ? BLOCK : count - lo;
        for (int k = 0; k < agents; k++) {
            const float *a = params + (long)((k + agents - 1) % agents) * count + lo;
            const float *c = params + (long)k * count + lo, *e = params + (long)((k + 1) % agents) * count + lo;
            float *o = staged + (long)k * BLOCK;
            for (long j = 0; j < n; j++) o[j] = third * a[j] + third * c[j] + third * e[j];
        }
        for (int k = 0; k < agents; k++) memcpy(params + (long)k * count + lo, staged + (long)k * BLOCK, n * sizeof(float));
    }
}

static void *worker(void *arg) {
    int t = (int)(long)arg;
    float *act[LAYERS + 1], *grad[LAYERS + 1], *staged = malloc((size_t)agents * BLOCK * sizeof(float));
    for (int l = 0; l <= LAYERS; l++) {
        act[l] = malloc((size_t)batch * widths[0] * sizeof(float));
        grad[l] = malloc((size_t)batch * widths[0] * sizeof(float));
    }
    for (int s = 0; s < steps; s++) {
        for (int k = t * agents / 2; k < (t + 1) * agents / 2; k++) iterate(k, act, grad);
        pthread_barrier_wait(&barrier);
        if (combine) {
            mix(t, staged);
            pthread_barrier_wait(&barrier);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5 || (agents = atoi(argv[1])) < 2 || agents > MAX_AGENTS || (batch = atoi(argv[2])) < 1 ||
        (combine = atoi(argv[3])) < 0 || combine > 1 || (argc == 5 && strcmp(argv[4], "blas") && strcmp(argv[4], "xsmm"))) {
        fprintf(stderr, "usage: gemm_ceiling AGENTS(2-%d) BATCH(>=1) COMBINE(0|1) [KERNELS(blas|xsmm)]\n", MAX_AGENTS);
        return 2;
    }
    xsmm = argc == 5 && !strcmp(argv[4], "xsmm");
#ifndef WITH_XSMM
    if (xsmm) {
        fprintf(stderr, "gemm_ceiling: built without libxsmm (install libxsmm-dev, build with -DWITH_XSMM -lxsmm)\n");
        return 2;
    }
#endif
    steps = 60000 / (agents * batch);
    for (int l = 0; l < LAYERS; l++) {
        offset[l] = count;
        count += (long)widths[l] * widths[l + 1] + widths[l + 1];
    }
    params = malloc((size_t)agents * count * sizeof(float));
    inputs = malloc((size_t)agents * batch * widths[0] * sizeof(float));
    unsigned seed = 1;
    for (long i = 0; i < (long)agents * count; i++) params[i] = (float)((int)((seed = seed * 1103515245u + 12345u) >> 16) % 1000 - 500) * 1e-4f;
    for (long i = 0; i < (long)agents * batch * widths[0]; i++) inputs[i] = (float)(i % 255) / 255;
    openblas_set_num_threads(1);
    pthread_barrier_init(&barrier, NULL, 2);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_t threads[2];
    for (long t = 0; t < 2; t++) pthread_create(&threads[t], NULL, worker, (void *)t);
    for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
    printf("{\"agents\": %d, \"batch\": %d, \"combine\": %s, \"kernels\": \"%s\", \"samples_per_s\": %.0f}\n",
           agents, batch, combine ? "true" : "false", xsmm ? "xsmm" : "blas", (double)steps * agents * batch / seconds);
    return 0;
}
