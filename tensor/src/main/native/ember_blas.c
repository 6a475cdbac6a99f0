/*
 * Ember's zero-copy GEMM entry: pins the Java heap arrays with GetPrimitiveArrayCritical (no copy
 * on HotSpot) and calls cblas_sgemm / cblas_dgemm of the OpenBLAS that Ember already loaded
 * (bytedeco's copy; bound by path with RTLD_NOLOAD, so no second OpenBLAS is ever loaded).
 * Built by build.sh during the Maven build; without it Ember copies operands into native buffers.
 */
#include <jni.h>
#include <dlfcn.h>
#include <stddef.h>

typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int,
                         float, float *, int);
typedef void (*dgemm_fn)(int, int, int, int, int, int, double, const double *, int, const double *, int,
                         double, double *, int);

typedef void (*set_threads_fn)(int);
typedef int (*get_threads_fn)(void);
typedef char *(*corename_fn)(void);

static sgemm_fn p_sgemm = NULL;
static dgemm_fn p_dgemm = NULL;
static set_threads_fn p_set_threads = NULL;
static get_threads_fn p_get_threads = NULL;
static corename_fn p_corename = NULL;

/* The kernel family OpenBLAS chose at load time (e.g. "Haswell", "SkylakeX"), or null. */
JNIEXPORT jstring JNICALL Java_io_ember_tensor_cpu_NativeGemm_coreName(JNIEnv *env, jclass cls) {
    char *name = p_corename != NULL ? p_corename() : NULL;
    return name != NULL ? (*env)->NewStringUTF(env, name) : NULL;
}

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

JNIEXPORT jboolean JNICALL Java_io_ember_tensor_cpu_NativeGemm_bind(JNIEnv *env, jclass cls, jstring path) {
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    if (p == NULL) {
        return JNI_FALSE;
    }
    void *h = dlopen(p, RTLD_NOW | RTLD_NOLOAD);
    (*env)->ReleaseStringUTFChars(env, path, p);
    if (h == NULL) {
        return JNI_FALSE;
    }
    p_sgemm = (sgemm_fn) dlsym(h, "cblas_sgemm");
    p_dgemm = (dgemm_fn) dlsym(h, "cblas_dgemm");
    /* bytedeco ships two OpenBLAS copies and its blas_set_num_threads reaches only one of them:
       the thread count is set on the library bound here, explicitly. */
    p_set_threads = (set_threads_fn) dlsym(h, "openblas_set_num_threads");
    p_get_threads = (get_threads_fn) dlsym(h, "openblas_get_num_threads");
    p_corename = (corename_fn) dlsym(h, "openblas_get_corename");
    return p_sgemm != NULL && p_dgemm != NULL && p_set_threads != NULL && p_get_threads != NULL
        ? JNI_TRUE : JNI_FALSE;
}

JNIEXPORT void JNICALL Java_io_ember_tensor_cpu_NativeGemm_setThreads(JNIEnv *env, jclass cls, jint n) {
    if (p_set_threads != NULL) p_set_threads(n);
}

JNIEXPORT jint JNICALL Java_io_ember_tensor_cpu_NativeGemm_getThreads(JNIEnv *env, jclass cls) {
    return p_get_threads != NULL ? p_get_threads() : -1;
}

/* batch products C_i = alpha op(A_i) op(B_i) + beta C_i, A_i at aOff + i * aStride, and so on.
   One body for both element types: JTYPE is the JNI scalar, CTYPE the C element, FN the bound cblas. */
#define EMBER_GEMM(NAME, JTYPE, JARRAY, CTYPE, FN)                                                    \
JNIEXPORT void JNICALL Java_io_ember_tensor_cpu_NativeGemm_##NAME(JNIEnv *env, jclass cls,           \
        jboolean transA, jboolean transB, jint m, jint n, jint k, JTYPE alpha,                          \
        JARRAY a, jint aOff, jint lda, jint aStride, JARRAY b, jint bOff, jint ldb, jint bStride,       \
        JTYPE beta, JARRAY c, jint cOff, jint ldc, jint cStride, jint batch) {                          \
    CTYPE *pa = (*env)->GetPrimitiveArrayCritical(env, a, NULL);                                        \
    CTYPE *pb = (*env)->GetPrimitiveArrayCritical(env, b, NULL);                                        \
    CTYPE *pc = (*env)->GetPrimitiveArrayCritical(env, c, NULL);                                        \
    if (pa != NULL && pb != NULL && pc != NULL) {                                                       \
        for (jint i = 0; i < batch; i++) {                                                              \
            FN(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,         \
               pa + aOff + (ptrdiff_t) i * aStride, lda, pb + bOff + (ptrdiff_t) i * bStride, ldb,      \
               beta, pc + cOff + (ptrdiff_t) i * cStride, ldc);                                         \
        }                                                                                               \
    }                                                                                                   \
    if (pc != NULL) (*env)->ReleasePrimitiveArrayCritical(env, c, pc, 0);                               \
    if (pb != NULL) (*env)->ReleasePrimitiveArrayCritical(env, b, pb, JNI_ABORT);                       \
    if (pa != NULL) (*env)->ReleasePrimitiveArrayCritical(env, a, pa, JNI_ABORT);                       \
}

EMBER_GEMM(sgemm, jfloat, jfloatArray, float, p_sgemm)
EMBER_GEMM(dgemm, jdouble, jdoubleArray, double, p_dgemm)
