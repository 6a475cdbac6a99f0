// A one-kernel module the backend's self-test launches: out[i] = i * scale. It proves that the PTX loads and runs
// on the device (driver new enough, context current) before any real op depends on it.
#include "common.cuh"

extern "C" __global__ void iota_f32(float* out, int n, float scale) {
    EMBER_LOOP(i, n) { out[i] = (float)i * scale; }
}
