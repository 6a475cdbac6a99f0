/**
 * Integration tests across modules, and the harness that runs a real Spark standalone cluster (a Master and Worker
 * JVMs on loopback, started from the test classpath) for them: {@link io.ember.it.StandaloneCluster}.
 */
package io.ember.it;
