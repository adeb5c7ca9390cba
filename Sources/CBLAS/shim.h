// CBLAS and the few LAPACK routines Flatland calls, from Debian's OpenBLAS (libopenblas-dev).
// OpenBLAS bundles LAPACK; its Fortran symbols are declared here because Debian ships no
// lapacke header with the OpenBLAS development package.
#pragma once
#include <cblas.h>

// Symmetric eigen-decomposition (divide and conquer), column-major, Fortran calling convention.
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
// General (non-symmetric) eigenvalues, column-major.
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);
// Solve A X = B for general A (LU with partial pivoting), column-major.
void dgesv_(const int *n, const int *nrhs, double *a, const int *lda, int *ipiv, double *b,
            const int *ldb, int *info);
