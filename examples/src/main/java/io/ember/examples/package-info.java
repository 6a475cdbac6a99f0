/**
 * Runnable programs: the CPU training demo and the Fashion-MNIST reader.
 */
package io.ember.examples;
