/*
 * A stand-in for libcublas on machines without a GPU (CublasMappingTest): the functions Myelin
 * binds, with cuBLAS's signatures and argument checks, computing on host memory with the
 * reference column-major definition of GEMM. Built by the test with the system C compiler.
 */
#include <stddef.h>

enum { OK = 0, INVALID_VALUE = 7 };
static int math_mode = -1;
static int handle_storage;

int cublasCreate_v2(void **handle) { *handle = &handle_storage; return OK; }
int cublasSetStream_v2(void *handle, void *stream) { (void) handle; (void) stream; return OK; }
int cublasSetMathMode(void *handle, int mode) { (void) handle; math_mode = mode; return OK; }
int fake_math_mode(void) { return math_mode; }

const char *cublasGetStatusName(int status) {
    return status == OK ? "CUBLAS_STATUS_SUCCESS" : status == INVALID_VALUE ? "CUBLAS_STATUS_INVALID_VALUE" : "other";
}

static int max1(int v) { return v > 1 ? v : 1; }

/* The argument checks cuBLAS documents for gemm. */
static int check(int ta, int tb, int m, int n, int k, int lda, int ldb, int ldc) {
    if (m < 0 || n < 0 || k < 0) return INVALID_VALUE;
    if (lda < max1(ta == 0 ? m : k) || ldb < max1(tb == 0 ? k : n) || ldc < max1(m)) return INVALID_VALUE;
    return OK;
}

#define GEMM(T, NAME)                                                                                   \
    static void NAME##_one(int ta, int tb, int m, int n, int k, T alpha, const T *a, int lda, const T *b, \
                           int ldb, T beta, T *c, int ldc) {                                             \
        for (int j = 0; j < n; j++)                                                                      \
            for (int i = 0; i < m; i++) {                                                                \
                double s = 0;                                                                            \
                for (int l = 0; l < k; l++) {                                                            \
                    double x = ta == 0 ? a[i + (size_t) l * lda] : a[l + (size_t) i * lda];              \
                    double y = tb == 0 ? b[l + (size_t) j * ldb] : b[j + (size_t) l * ldb];              \
                    s += x * y;                                                                          \
                }                                                                                        \
                T *out = &c[i + (size_t) j * ldc];                                                       \
                *out = (T) (alpha * s + (beta == 0 ? 0 : beta * *out));                                  \
            }                                                                                            \
    }                                                                                                    \
    int NAME(void *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *a, int lda, const T *b, \
             int ldb, const T *beta, T *c, int ldc) {                                                    \
        (void) h;                                                                                        \
        int s = check(ta, tb, m, n, k, lda, ldb, ldc);                                                   \
        if (s == OK) NAME##_one(ta, tb, m, n, k, *alpha, a, lda, b, ldb, *beta, c, ldc);                 \
        return s;                                                                                        \
    }

GEMM(float, cublasSgemm_v2)
GEMM(double, cublasDgemm_v2)

#define BATCHED(T, NAME, ONE)                                                                            \
    int NAME(void *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *a, int lda,          \
             long long sa, const T *b, int ldb, long long sb, const T *beta, T *c, int ldc, long long sc, \
             int batch) {                                                                                \
        (void) h;                                                                                        \
        int s = check(ta, tb, m, n, k, lda, ldb, ldc);                                                   \
        if (s != OK || batch < 0) return INVALID_VALUE;                                                  \
        for (int e = 0; e < batch; e++)                                                                  \
            ONE(ta, tb, m, n, k, *alpha, a + e * sa, lda, b + e * sb, ldb, *beta, c + e * sc, ldc);      \
        return OK;                                                                                       \
    }

BATCHED(float, cublasSgemmStridedBatched, cublasSgemm_v2_one)
BATCHED(double, cublasDgemmStridedBatched, cublasDgemm_v2_one)
