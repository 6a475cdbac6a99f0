/** Small utilities for training loops: {@link io.ember.util.ProgressBar}. */
package io.ember.util;
