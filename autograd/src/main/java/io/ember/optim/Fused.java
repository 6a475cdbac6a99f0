package io.ember.optim;

import io.ember.tensor.DType;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;

/**
 * Single-pass update loops over the backing {@code float[]} of contiguous float32 host arrays: one read and one write
 * per element and array, nothing allocated. Each loop follows the order of operations of the array-op path, in float
 * arithmetic, like PyTorch's float32 kernels.
 */
final class Fused {
    private Fused() {
    }

    /** The backing array of a contiguous float32 host array (elements from {@code a.offset()}), or null. */
    static float[] floats(NDArray a) {
        if (a.dtype() == DType.FLOAT32 && a.isContiguous() && a.storage() instanceof HostStorage h) {
            return h.floats();
        }
        return null;
    }

    /**
     * Whether the arrays (null ones ignored) are contiguous float32 arrays on one non-CPU device, whose backend may
     * have a fused update kernel ({@code Backend.sgdUpdate}/{@code adamUpdate}).
     */
    static boolean onDevice(NDArray a, NDArray b, NDArray c, NDArray d, NDArray e) {
        io.ember.tensor.Device dev = a.device();
        return !dev.isCpu() && dev(a, dev) && dev(b, dev) && dev(c, dev) && dev(d, dev) && dev(e, dev);
    }

    private static boolean dev(NDArray a, io.ember.tensor.Device dev) {
        return a == null || (a.dtype() == DType.FLOAT32 && a.isContiguous() && a.device().equals(dev));
    }

    /** Whether the arrays (null ones ignored) can all take the fused path; no varargs array per call. */
    static boolean eligible(NDArray a, NDArray b, NDArray c) {
        return ok(a) && ok(b) && ok(c);
    }

    static boolean eligible(NDArray a, NDArray b, NDArray c, NDArray d, NDArray e) {
        return ok(a) && ok(b) && ok(c) && ok(d) && ok(e);
    }

    private static boolean ok(NDArray a) {
        return a == null || floats(a) != null;
    }

    /**
     * SGD: {@code d = ±g + wd*p; buf = first ? d : momentum*buf + (1-dampening)*d; d = nesterov ? d + momentum*buf
     * : buf; p -= lr*d}; buf is null without momentum.
     */
    static void sgd(NDArray param, NDArray grad, NDArray buf, boolean first, float lr, float wd, float momentum,
            float dampening, boolean nesterov, boolean maximize) {
        float[] p = floats(param);
        float[] g = floats(grad);
        int po = param.offset();
        int go = grad.offset();
        int n = param.numel();
        float sign = maximize ? -1f : 1f;
        float negLr = -lr;
        if (buf == null) {
            for (int i = 0; i < n; i++) {
                float pi = p[po + i];
                float d = sign * g[go + i];
                if (wd != 0) {
                    d = d + wd * pi;
                }
                p[po + i] = pi + negLr * d;
            }
            return;
        }
        float[] b = floats(buf);
        int bo = buf.offset();
        float keep = 1f - dampening;
        for (int i = 0; i < n; i++) {
            float pi = p[po + i];
            float d = sign * g[go + i];
            if (wd != 0) {
                d = d + wd * pi;
            }
            float m = first ? d : b[bo + i] * momentum + keep * d;
            b[bo + i] = m;
            float u = nesterov ? d + momentum * m : m;
            p[po + i] = pi + negLr * u;
        }
    }

    /**
     * Adam/AdamW: {@code p *= decay; g = ±g + l2*p; m += (1-b1)(g-m); v = b2*v + (1-b2)*g*g; vmax = max(vmax, v);
     * p -= stepSize * m / (sqrt(vmax or v)/bc2Sqrt + eps)}; vmax is null without amsgrad.
     */
    static void adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq,
            float decay, float l2, float beta1, float beta2, float stepSize, float bc2Sqrt, float eps,
            boolean maximize) {
        float[] p = floats(param);
        float[] g = floats(grad);
        float[] m = floats(expAvg);
        float[] v = floats(expAvgSq);
        int po = param.offset();
        int go = grad.offset();
        int mo = expAvg.offset();
        int vo = expAvgSq.offset();
        int n = param.numel();
        float sign = maximize ? -1f : 1f;
        float w1 = 1f - beta1;
        float w2 = 1f - beta2;
        float negStep = -stepSize;
        if (maxExpAvgSq == null && po == 0 && go == 0 && mo == 0 && vo == 0) {
            adamPlain(p, g, m, v, n, decay, l2, sign, w1, beta2, w2, negStep, bc2Sqrt, eps);
            return;
        }
        float[] x = maxExpAvgSq == null ? null : floats(maxExpAvgSq);
        int xo = maxExpAvgSq == null ? 0 : maxExpAvgSq.offset();
        for (int i = 0; i < n; i++) {
            float pi = p[po + i];
            if (decay != 1f) {
                pi = pi * decay;
            }
            float gi = sign * g[go + i];
            if (l2 != 0) {
                gi = gi + l2 * pi;
            }
            float mi = m[mo + i];
            mi = mi + w1 * (gi - mi);
            float vi = v[vo + i] * beta2 + w2 * gi * gi;
            float si = vi;
            if (x != null) {
                si = Math.max(x[xo + i], vi);
                x[xo + i] = si;
            }
            m[mo + i] = mi;
            v[vo + i] = vi;
            float denom = (float) Math.sqrt(si) / bc2Sqrt + eps;
            p[po + i] = pi + negStep * (mi / denom);
        }
    }

    /**
     * Adam on arrays that start at 0, written with one index so that C2 vectorises it (sqrt and division
     * included), in the same float operations as the general loop above.
     */
    private static void adamPlain(float[] p, float[] g, float[] m, float[] v, int n, float decay, float l2,
            float sign, float w1, float beta2, float w2, float negStep, float bc2Sqrt, float eps) {
        if (decay == 1f && l2 == 0f) {
            for (int i = 0; i < n; i++) {
                float gi = sign * g[i];
                float mi = m[i] + w1 * (gi - m[i]);
                float vi = v[i] * beta2 + w2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                p[i] = p[i] + negStep * (mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float pi = p[i] * decay;
            float gi = sign * g[i];
            if (l2 != 0f) {
                gi = gi + l2 * pi;
            }
            float mi = m[i] + w1 * (gi - m[i]);
            float vi = v[i] * beta2 + w2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi + negStep * (mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps));
        }
    }
}
