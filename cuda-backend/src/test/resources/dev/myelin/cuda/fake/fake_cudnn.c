/*
 * A stand-in for libcudnn.so.9 on machines without a GPU (CudnnFamiliesTest): the legacy
 * descriptor functions Myelin binds, with their C signatures, checking what cuDNN checks
 * (descriptor kinds, shapes that agree, required pointers) and computing on host memory with
 * the documented definitions (NCHW cross-correlation, average pooling, spatial batch norm with
 * the unbiased running variance, OpTensor with broadcasting). The algorithm heuristics return
 * an unsupported entry, a tensor-core entry and a plain entry with a workspace, so that the
 * caller's filtering and workspace handling are exercised.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OK = 0, BAD_PARAM = 3, NOT_SUPPORTED = 9 };
enum { K_TENSOR = 1, K_FILTER, K_CONV, K_POOL, K_OP };
typedef struct { int kind, set, dtype, n, c, h, w; } Desc;        /* tensor or filter (n = k) */
typedef struct { int kind, ph, pw, u, v, dh, dw, groups, math; } Conv;
typedef struct { int kind, mode, wh, ww, vp, hp, vs, hs; } Pool;
typedef struct { int kind, op; } Op;

static int live, handle_storage, last_algo = -1;
int fake_live_descriptors(void) { return live; }
int fake_last_algo(void) { return last_algo; }

const char *cudnnGetErrorString(int s) {
    return s == OK ? "CUDNN_STATUS_SUCCESS" : s == BAD_PARAM ? "CUDNN_STATUS_BAD_PARAM" : "CUDNN_STATUS_NOT_SUPPORTED";
}
int cudnnCreate(void **h) { *h = &handle_storage; return OK; }
int cudnnSetStream(void *h, void *s) { (void) h; (void) s; return OK; }

static int create(void **d, size_t size, int kind) {
    int *p = calloc(1, size);
    *p = kind;
    *d = p;
    live++;
    return OK;
}
static int destroy(void *d, int kind) {
    if (!d || *(int *) d != kind) return BAD_PARAM;
    free(d);
    live--;
    return OK;
}
int cudnnCreateTensorDescriptor(void **d) { return create(d, sizeof(Desc), K_TENSOR); }
int cudnnDestroyTensorDescriptor(void *d) { return destroy(d, K_TENSOR); }
int cudnnCreateFilterDescriptor(void **d) { return create(d, sizeof(Desc), K_FILTER); }
int cudnnDestroyFilterDescriptor(void *d) { return destroy(d, K_FILTER); }
int cudnnCreateConvolutionDescriptor(void **d) { return create(d, sizeof(Conv), K_CONV); }
int cudnnDestroyConvolutionDescriptor(void *d) { return destroy(d, K_CONV); }
int cudnnCreatePoolingDescriptor(void **d) { return create(d, sizeof(Pool), K_POOL); }
int cudnnDestroyPoolingDescriptor(void *d) { return destroy(d, K_POOL); }
int cudnnCreateOpTensorDescriptor(void **d) { return create(d, sizeof(Op), K_OP); }
int cudnnDestroyOpTensorDescriptor(void *d) { return destroy(d, K_OP); }

static int set4(Desc *d, int kind, int dt, int n, int c, int h, int w) {
    if (!d || d->kind != kind || (dt != 0 && dt != 1) || n <= 0 || c <= 0 || h <= 0 || w <= 0) return BAD_PARAM;
    d->set = 1; d->dtype = dt; d->n = n; d->c = c; d->h = h; d->w = w;
    return OK;
}
int cudnnSetTensor4dDescriptor(Desc *d, int fmt, int dt, int n, int c, int h, int w) {
    return fmt != 0 ? BAD_PARAM : set4(d, K_TENSOR, dt, n, c, h, w);
}
int cudnnSetFilter4dDescriptor(Desc *d, int dt, int fmt, int k, int c, int h, int w) {
    return fmt != 0 ? BAD_PARAM : set4(d, K_FILTER, dt, k, c, h, w);
}
int cudnnSetConvolution2dDescriptor(Conv *d, int ph, int pw, int u, int v, int dh, int dw, int mode, int ct) {
    if (!d || d->kind != K_CONV || mode != 1 || ph < 0 || pw < 0 || u <= 0 || v <= 0 || dh <= 0 || dw <= 0
        || (ct != 0 && ct != 1)) return BAD_PARAM;
    d->ph = ph; d->pw = pw; d->u = u; d->v = v; d->dh = dh; d->dw = dw; d->groups = 1;
    return OK;
}
int cudnnSetConvolutionGroupCount(Conv *d, int g) { if (!d || d->kind != K_CONV || g < 1) return BAD_PARAM; d->groups = g; return OK; }
int cudnnSetConvolutionMathType(Conv *d, int m) { if (!d || d->kind != K_CONV || m < 0 || m > 3) return BAD_PARAM; d->math = m; return OK; }

static int is(const void *d, int kind) { return d && ((const Desc *) d)->kind == kind && (kind > K_FILTER || ((const Desc *) d)->set); }
static double get(const void *p, int dt, size_t i) { return dt ? ((const double *) p)[i] : ((const float *) p)[i]; }
static void put(void *p, int dt, size_t i, double v) { if (dt) ((double *) p)[i] = v; else ((float *) p)[i] = (float) v; }
static double scal(const void *p, int dt) { return dt ? *(const double *) p : *(const float *) p; }
/* out = alpha * v + beta * out, where beta = 0 ignores out (it may hold NaN). */
static void blend(void *p, int dt, size_t i, double alpha, double v, double beta) {
    put(p, dt, i, alpha * v + (beta == 0 ? 0 : beta * get(p, dt, i)));
}
static size_t at(const Desc *d, int n, int c, int h, int w) { return (((size_t) n * d->c + c) * d->h + h) * d->w + w; }

/* x [N,C,H,W], w [K,C/g,R,S], y [N,K,P,Q] agree with the convolution. */
static int agree(const Desc *x, const Desc *w, const Conv *cv, const Desc *y) {
    if (!is(x, K_TENSOR) || !is(w, K_FILTER) || !is(cv, K_CONV) || !is(y, K_TENSOR)) return 0;
    if (x->dtype != w->dtype || x->dtype != y->dtype || x->c != w->c * cv->groups || w->n % cv->groups) return 0;
    int p = (x->h + 2 * cv->ph - cv->dh * (w->h - 1) - 1) / cv->u + 1, q = (x->w + 2 * cv->pw - cv->dw * (w->w - 1) - 1) / cv->v + 1;
    return y->n == x->n && y->c == w->n && y->h == p && y->w == q;
}

/* Runs BODY with the indices xi, wi, yi of every tap of the convolution that lands inside x. */
#define TAPS(XD, WD, CV, YD, BODY)                                                                      \
    for (int n = 0; n < (YD)->n; n++) for (int k = 0; k < (YD)->c; k++) {                               \
        int g = k / ((WD)->n / (CV)->groups);                                                           \
        for (int c = 0; c < (WD)->c; c++) for (int p = 0; p < (YD)->h; p++) for (int q = 0; q < (YD)->w; q++) \
            for (int r = 0; r < (WD)->h; r++) for (int s = 0; s < (WD)->w; s++) {                      \
                int ih = p * (CV)->u - (CV)->ph + r * (CV)->dh, iw = q * (CV)->v - (CV)->pw + s * (CV)->dw; \
                if (ih < 0 || iw < 0 || ih >= (XD)->h || iw >= (XD)->w) continue;                        \
                size_t xi = at(XD, n, g * (WD)->c + c, ih, iw), wi = at(WD, k, c, r, s), yi = at(YD, n, k, p, q); \
                BODY;                                                                                    \
            }                                                                                            \
    }

static int direction(const void *a, int ka, const void *b, int kb, const void *cv, const void *c, int kc, int req,
                     int *ret, char *perf) {
    if (!is(a, ka) || !is(b, kb) || !is(cv, K_CONV) || !is(c, kc) || req < 3) return BAD_PARAM;
    const Conv *conv = cv;
    int status[3] = {NOT_SUPPORTED, OK, OK}, math[3] = {0, 1, conv->math};
    for (int i = 0; i < 3; i++) {
        char *e = perf + 48 * i;
        memset(e, 0, 48);
        *(int *) e = i;
        *(int *) (e + 4) = status[i];
        *(size_t *) (e + 16) = i == 2 ? 4096 : 0;
        *(int *) (e + 28) = math[i];
    }
    *ret = 3;
    return OK;
}
int cudnnGetConvolutionForwardAlgorithm_v7(void *h, void *x, void *w, void *cv, void *y, int req, int *ret, char *perf) {
    (void) h; return direction(x, K_TENSOR, w, K_FILTER, cv, y, K_TENSOR, req, ret, perf);
}
int cudnnGetConvolutionBackwardDataAlgorithm_v7(void *h, void *w, void *dy, void *cv, void *dx, int req, int *ret, char *perf) {
    (void) h; return direction(w, K_FILTER, dy, K_TENSOR, cv, dx, K_TENSOR, req, ret, perf);
}
int cudnnGetConvolutionBackwardFilterAlgorithm_v7(void *h, void *x, void *dy, void *cv, void *dw, int req, int *ret, char *perf) {
    (void) h; return direction(x, K_TENSOR, dy, K_TENSOR, cv, dw, K_FILTER, req, ret, perf);
}
static int wsize(int algo, size_t *size) { if (algo < 1 || algo > 2) return BAD_PARAM; *size = algo == 2 ? 4096 : 0; return OK; }
int cudnnGetConvolutionForwardWorkspaceSize(void *h, void *a, void *b, void *c, void *d, int algo, size_t *size) { (void) h; (void) a; (void) b; (void) c; (void) d; return wsize(algo, size); }
int cudnnGetConvolutionBackwardDataWorkspaceSize(void *h, void *a, void *b, void *c, void *d, int algo, size_t *size) { (void) h; (void) a; (void) b; (void) c; (void) d; return wsize(algo, size); }
int cudnnGetConvolutionBackwardFilterWorkspaceSize(void *h, void *a, void *b, void *c, void *d, int algo, size_t *size) { (void) h; (void) a; (void) b; (void) c; (void) d; return wsize(algo, size); }

/* The chosen algorithm must run with its math type and get its workspace. */
static int runnable(const Conv *cv, int algo, const void *ws, size_t wsSize) {
    last_algo = algo;
    if (algo == 1) return cv->math == 1;
    if (algo == 2) return ws != NULL && wsSize >= 4096 && cv->math != 1;
    return 0;
}

int cudnnConvolutionForward(void *h, const void *alpha, Desc *xd, const void *x, Desc *wd, const void *w, Conv *cv,
                            int algo, void *ws, size_t wss, const void *beta, Desc *yd, void *y) {
    (void) h;
    if (!agree(xd, wd, cv, yd) || !runnable(cv, algo, ws, wss)) return BAD_PARAM;
    int dt = yd->dtype;
    size_t ny = (size_t) yd->n * yd->c * yd->h * yd->w;
    double *acc = calloc(ny, sizeof(double));
    TAPS(xd, wd, cv, yd, acc[yi] += get(x, dt, xi) * get(w, dt, wi))
    for (size_t i = 0; i < ny; i++) blend(y, dt, i, scal(alpha, dt), acc[i], scal(beta, dt));
    free(acc);
    return OK;
}
int cudnnConvolutionBackwardData(void *h, const void *alpha, Desc *wd, const void *w, Desc *dyd, const void *dy, Conv *cv,
                                 int algo, void *ws, size_t wss, const void *beta, Desc *dxd, void *dx) {
    (void) h;
    if (!agree(dxd, wd, cv, dyd) || !runnable(cv, algo, ws, wss)) return BAD_PARAM;
    int dt = dxd->dtype;
    size_t nx = (size_t) dxd->n * dxd->c * dxd->h * dxd->w;
    double *acc = calloc(nx, sizeof(double));
    TAPS(dxd, wd, cv, dyd, acc[xi] += get(dy, dt, yi) * get(w, dt, wi))
    for (size_t i = 0; i < nx; i++) blend(dx, dt, i, scal(alpha, dt), acc[i], scal(beta, dt));
    free(acc);
    return OK;
}
int cudnnConvolutionBackwardFilter(void *h, const void *alpha, Desc *xd, const void *x, Desc *dyd, const void *dy, Conv *cv,
                                   int algo, void *ws, size_t wss, const void *beta, Desc *dwd, void *dw) {
    (void) h;
    if (!agree(xd, dwd, cv, dyd) || !runnable(cv, algo, ws, wss)) return BAD_PARAM;
    int dt = dwd->dtype;
    size_t nw = (size_t) dwd->n * dwd->c * dwd->h * dwd->w;
    double *acc = calloc(nw, sizeof(double));
    TAPS(xd, dwd, cv, dyd, acc[wi] += get(dy, dt, yi) * get(x, dt, xi))
    for (size_t i = 0; i < nw; i++) blend(dw, dt, i, scal(alpha, dt), acc[i], scal(beta, dt));
    free(acc);
    return OK;
}

/* Index of b's element for a's element i, b broadcasting over its dimensions of size 1. */
static size_t bcast(const Desc *a, const Desc *b, size_t i) {
    int w = i % a->w, h = i / a->w % a->h, c = i / ((size_t) a->w * a->h) % a->c, n = i / ((size_t) a->w * a->h * a->c);
    return at(b, b->n == 1 ? 0 : n, b->c == 1 ? 0 : c, b->h == 1 ? 0 : h, b->w == 1 ? 0 : w);
}
static int broadcasts(const Desc *a, const Desc *b) {
    return is(a, K_TENSOR) && is(b, K_TENSOR) && a->dtype == b->dtype && (b->n == 1 || b->n == a->n)
        && (b->c == 1 || b->c == a->c) && (b->h == 1 || b->h == a->h) && (b->w == 1 || b->w == a->w);
}
int cudnnAddTensor(void *h, const void *alpha, Desc *ad, const void *a, const void *beta, Desc *cd, void *c) {
    (void) h;
    if (!broadcasts(cd, ad)) return BAD_PARAM;
    size_t n = (size_t) cd->n * cd->c * cd->h * cd->w;
    for (size_t i = 0; i < n; i++) put(c, cd->dtype, i, scal(alpha, cd->dtype) * get(a, cd->dtype, bcast(cd, ad, i)) + scal(beta, cd->dtype) * get(c, cd->dtype, i));
    return OK;
}
int cudnnSetTensor(void *h, Desc *yd, void *y, const void *value) {
    (void) h;
    if (!is(yd, K_TENSOR)) return BAD_PARAM;
    size_t n = (size_t) yd->n * yd->c * yd->h * yd->w;
    for (size_t i = 0; i < n; i++) put(y, yd->dtype, i, scal(value, yd->dtype));
    return OK;
}
int cudnnSetOpTensorDescriptor(Op *d, int op, int ct, int nan) { (void) ct; (void) nan; if (!d || d->kind != K_OP) return BAD_PARAM; d->op = op; return OK; }
int cudnnOpTensor(void *h, Op *op, const void *a1, Desc *ad, const void *a, const void *a2, Desc *bd, const void *b,
                  const void *beta, Desc *cd, void *c) {
    (void) h;
    if (!op || op->kind != K_OP || op->op != 1 || !broadcasts(ad, bd) || !is(cd, K_TENSOR) || cd->n != ad->n || cd->c != ad->c
        || cd->h != ad->h || cd->w != ad->w) return BAD_PARAM;
    int dt = cd->dtype;
    size_t n = (size_t) cd->n * cd->c * cd->h * cd->w;
    for (size_t i = 0; i < n; i++)
        blend(c, dt, i, 1, scal(a1, dt) * get(a, dt, i) * scal(a2, dt) * get(b, dt, bcast(ad, bd, i)), scal(beta, dt));
    return OK;
}

int cudnnSetPooling2dDescriptor(Pool *d, int mode, int nan, int wh, int ww, int vp, int hp, int vs, int hs) {
    (void) nan;
    if (!d || d->kind != K_POOL || wh <= 0 || ww <= 0 || vp < 0 || hp < 0 || vs <= 0 || hs <= 0) return BAD_PARAM;
    d->mode = mode; d->wh = wh; d->ww = ww; d->vp = vp; d->hp = hp; d->vs = vs; d->hs = hs;
    return OK;
}
/* Average pooling: window taps inside x and the divisor of the mode. */
static int pool_ok(const Pool *pd, const Desc *xd, const Desc *yd) {
    return pd && pd->kind == K_POOL && (pd->mode == 1 || pd->mode == 2) && is(xd, K_TENSOR) && is(yd, K_TENSOR)
        && xd->n == yd->n && xd->c == yd->c && yd->h == (xd->h + 2 * pd->vp - pd->wh) / pd->vs + 1
        && yd->w == (xd->w + 2 * pd->hp - pd->ww) / pd->hs + 1;
}
#define WINDOW(PD, XD, YD, BODY)                                                                         \
    for (size_t pl = 0; pl < (size_t) (YD)->n * (YD)->c; pl++) for (int p = 0; p < (YD)->h; p++) for (int q = 0; q < (YD)->w; q++) { \
        int hs = p * (PD)->vs - (PD)->vp, ws = q * (PD)->hs - (PD)->hp, inside = 0;                       \
        for (int r = 0; r < (PD)->wh; r++) for (int s = 0; s < (PD)->ww; s++)                            \
            inside += hs + r >= 0 && hs + r < (XD)->h && ws + s >= 0 && ws + s < (XD)->w;                 \
        double div = (PD)->mode == 1 ? (PD)->wh * (PD)->ww : inside;                                      \
        size_t yi = (pl * (YD)->h + p) * (YD)->w + q;                                                     \
        for (int r = 0; r < (PD)->wh; r++) for (int s = 0; s < (PD)->ww; s++) {                          \
            int ih = hs + r, iw = ws + s;                                                                 \
            if (ih < 0 || iw < 0 || ih >= (XD)->h || iw >= (XD)->w) continue;                             \
            size_t xi = (pl * (XD)->h + ih) * (XD)->w + iw;                                               \
            BODY;                                                                                         \
        }                                                                                                 \
    }
int cudnnPoolingForward(void *h, Pool *pd, const void *alpha, Desc *xd, const void *x, const void *beta, Desc *yd, void *y) {
    (void) h;
    if (!pool_ok(pd, xd, yd)) return BAD_PARAM;
    int dt = yd->dtype;
    size_t ny = (size_t) yd->n * yd->c * yd->h * yd->w;
    double *acc = calloc(ny, sizeof(double));
    WINDOW(pd, xd, yd, acc[yi] += get(x, dt, xi) / div)
    for (size_t i = 0; i < ny; i++) blend(y, dt, i, scal(alpha, dt), acc[i], scal(beta, dt));
    free(acc);
    return OK;
}
int cudnnPoolingBackward(void *h, Pool *pd, const void *alpha, Desc *yd, const void *y, Desc *dyd, const void *dy,
                         Desc *xd, const void *x, const void *beta, Desc *dxd, void *dx) {
    (void) h;
    if (!pool_ok(pd, xd, yd) || !pool_ok(pd, dxd, dyd) || !y || !x) return BAD_PARAM;
    int dt = dxd->dtype;
    size_t nx = (size_t) dxd->n * dxd->c * dxd->h * dxd->w;
    double *acc = calloc(nx, sizeof(double));
    WINDOW(pd, dxd, dyd, acc[xi] += get(dy, dt, yi) / div)
    for (size_t i = 0; i < nx; i++) blend(dx, dt, i, scal(alpha, dt), acc[i], scal(beta, dt));
    free(acc);
    return OK;
}

int cudnnDeriveBNTensorDescriptor(Desc *d, Desc *xd, int mode) {
    if (mode != 1 || !is(xd, K_TENSOR)) return BAD_PARAM;
    return set4(d, K_TENSOR, xd->dtype, 1, xd->c, 1, 1);
}
static int bn_ok(const Desc *xd, const Desc *bd) {
    return is(xd, K_TENSOR) && is(bd, K_TENSOR) && bd->n == 1 && bd->c == xd->c && bd->h == 1 && bd->w == 1 && bd->dtype == xd->dtype;
}
/* Channel statistics: mean and biased variance over N, H, W. */
static void stats(const Desc *xd, const void *x, int c, double *mean, double *var) {
    size_t plane = (size_t) xd->h * xd->w, m = (size_t) xd->n * plane;
    double s = 0, q = 0;
    for (int n = 0; n < xd->n; n++) for (size_t i = 0; i < plane; i++) s += get(x, xd->dtype, at(xd, n, c, 0, 0) + i);
    *mean = s / m;
    for (int n = 0; n < xd->n; n++) for (size_t i = 0; i < plane; i++) { double d = get(x, xd->dtype, at(xd, n, c, 0, 0) + i) - *mean; q += d * d; }
    *var = q / m;
}
int cudnnBatchNormalizationForwardTraining(void *h, int mode, const void *alpha, const void *beta, Desc *xd, const void *x,
                                           Desc *yd, void *y, Desc *bd, const void *scale, const void *bias, double factor,
                                           void *rm, void *rv, double eps, void *sm, void *siv) {
    (void) h;
    if (mode != 1 || !bn_ok(xd, bd) || !is(yd, K_TENSOR) || !scale || !bias || (!rm != !rv) || (!sm != !siv) || eps < 0)
        return BAD_PARAM;
    int dt = xd->dtype;
    size_t plane = (size_t) xd->h * xd->w, m = (size_t) xd->n * plane;
    for (int c = 0; c < xd->c; c++) {
        double mean, var;
        stats(xd, x, c, &mean, &var);
        double inv = 1 / sqrt(var + eps);
        for (int n = 0; n < xd->n; n++) for (size_t i = 0; i < plane; i++) {
            size_t k = at(xd, n, c, 0, 0) + i;
            blend(y, dt, k, scal(alpha, dt), (get(x, dt, k) - mean) * inv * get(scale, dt, c) + get(bias, dt, c), scal(beta, dt));
        }
        if (rm) {
            put(rm, dt, c, (1 - factor) * get(rm, dt, c) + factor * mean);
            put(rv, dt, c, (1 - factor) * get(rv, dt, c) + factor * var * m / (m - 1));
        }
        if (sm) { put(sm, dt, c, mean); put(siv, dt, c, inv); }
    }
    return OK;
}
int cudnnBatchNormalizationForwardInference(void *h, int mode, const void *alpha, const void *beta, Desc *xd, const void *x,
                                            Desc *yd, void *y, Desc *bd, const void *scale, const void *bias,
                                            const void *em, const void *ev, double eps) {
    (void) h;
    if (mode != 1 || !bn_ok(xd, bd) || !is(yd, K_TENSOR) || !scale || !bias || !em || !ev || eps < 0) return BAD_PARAM;
    int dt = xd->dtype;
    size_t plane = (size_t) xd->h * xd->w;
    for (int c = 0; c < xd->c; c++) {
        double inv = 1 / sqrt(get(ev, dt, c) + eps);
        for (int n = 0; n < xd->n; n++) for (size_t i = 0; i < plane; i++) {
            size_t k = at(xd, n, c, 0, 0) + i;
            blend(y, dt, k, scal(alpha, dt), (get(x, dt, k) - get(em, dt, c)) * inv * get(scale, dt, c) + get(bias, dt, c), scal(beta, dt));
        }
    }
    return OK;
}
int cudnnBatchNormalizationBackward(void *h, int mode, const void *aD, const void *bD, const void *aP, const void *bP,
                                    Desc *xd, const void *x, Desc *dyd, const void *dy, Desc *dxd, void *dx, Desc *bd,
                                    const void *scale, void *dscale, void *dbias, double eps, const void *sm, const void *siv) {
    (void) h; (void) eps;
    if (mode != 1 || !bn_ok(xd, bd) || !is(dyd, K_TENSOR) || !is(dxd, K_TENSOR) || !scale || !dscale || !dbias || !sm || !siv || !dx)
        return BAD_PARAM;
    int dt = xd->dtype;
    size_t plane = (size_t) xd->h * xd->w, m = (size_t) xd->n * plane;
    for (int c = 0; c < xd->c; c++) {
        double mean = get(sm, dt, c), inv = get(siv, dt, c), sg = 0, sgx = 0;
        for (int n = 0; n < xd->n; n++) for (size_t i = 0; i < plane; i++) {
            size_t k = at(xd, n, c, 0, 0) + i;
            sg += get(dy, dt, k);
            sgx += get(dy, dt, k) * (get(x, dt, k) - mean) * inv;
        }
        for (int n = 0; n < xd->n; n++) for (size_t i = 0; i < plane; i++) {
            size_t k = at(xd, n, c, 0, 0) + i;
            double xhat = (get(x, dt, k) - mean) * inv;
            blend(dx, dt, k, scal(aD, dt), get(scale, dt, c) * inv * (get(dy, dt, k) - sg / m - xhat * sgx / m), scal(bD, dt));
        }
        blend(dscale, dt, c, scal(aP, dt), sgx, scal(bP, dt));
        blend(dbias, dt, c, scal(aP, dt), sg, scal(bP, dt));
    }
    return OK;
}
