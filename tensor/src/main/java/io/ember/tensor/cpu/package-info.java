/**
 * The CPU backend: Java loops over heap arrays, split over a fork-join pool above a size threshold, and GEMM through bytedeco's OpenBLAS.
 */
package io.ember.tensor.cpu;
