package io.ember.spark.train;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.nn.Loss;
import io.ember.nn.Module;
import io.ember.spark.data.TensorBatch;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.io.Serial;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's share of a validation pass with the averaged parameters: {loss summed over rows, correct
 * predictions (classification: argmax of the output equals the INT64 label), rows, rows with a class label}.
 */
final class Validation implements Function2<Integer, Iterator<TensorBatch>, Iterator<double[]>> {
    @Serial
    private static final long serialVersionUID = 1L;
    static final int CHUNK = 1024;

    private final Broadcast<RoundPlan> plan;
    private final Broadcast<RoundState> state;

    Validation(Broadcast<RoundPlan> plan, Broadcast<RoundState> state) {
        this.plan = plan;
        this.state = state;
    }

    @Override
    public Iterator<double[]> call(Integer partition, Iterator<TensorBatch> rows) {
        TensorBatch data = WorkerTask.labelledRows(rows, partition, "validation partition");
        double[] out = new double[4];
        if (data.size() == 0) {
            return List.of(out).iterator();
        }
        RoundPlan p = plan.value();
        Device device = WorkerTask.taskDevice(p);
        Module model = p.newModel();
        model.loadStateDict(state.value().model.toArrays());
        model.to(device);
        model.eval();
        Loss loss = (Loss) p.newLoss();
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int start = 0; start < data.size(); start += CHUNK) {
                TensorBatch b = data.rows(start, Math.min(data.size(), start + CHUNK));
                Tensor out1 = model.forward(Tensor.of(b.features()).to(device)).to(Device.CPU);
                NDArray y = b.labels();
                out[0] += loss.forward(out1, WorkerTask.target(out1, Tensor.of(y))).item() * b.size();
                if (y.dtype() == DType.INT64 && out1.shape().rank() == 2) {
                    long[] pred = out1.data().argmax(1, false).toLongArray();
                    long[] truth = y.toLongArray();
                    for (int i = 0; i < pred.length; i++) {
                        if (pred[i] == truth[i]) {
                            out[1]++;
                        }
                    }
                    out[3] += b.size();
                }
                out[2] += b.size();
            }
        }
        return List.of(out).iterator();
    }
}
