/**
 * Data loading, after PyTorch's {@code torch.utils.data}: {@link io.ember.data.Dataset} and its
 * implementations ({@link io.ember.data.TensorDataset}, {@link io.ember.data.Subset},
 * {@link io.ember.data.ConcatDataset}, {@link io.ember.data.Datasets#randomSplit}), samplers, the
 * {@link io.ember.data.DataLoader} with background prefetching, and file readers
 * ({@link io.ember.data.IdxReader} for MNIST-style IDX files, {@link io.ember.data.CsvReader}).
 */
package io.ember.data;
