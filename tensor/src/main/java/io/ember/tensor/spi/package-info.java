/**
 * The backend SPI: what a device (CPU here, CUDA in {@code ember-gpu}) implements, and the op enums its kernels take.
 */
package io.ember.tensor.spi;
