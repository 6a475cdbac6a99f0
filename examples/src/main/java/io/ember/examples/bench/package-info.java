/**
 * The benchmark harness of PROTOCOL.md, run through {@code examples/bench.sh}.
 */
package io.ember.examples.bench;
