package io.ember.ml;

import io.ember.io.ModelIO;
import io.ember.nn.Module;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * ML persistence of the stages, through the Hadoop FileSystem API. A stage's directory holds Spark's own params
 * metadata ({@code metadata/part-00000}: class, uid, Spark version, every param that is set and every default), so
 * that Pipeline, PipelineModel and CrossValidator save and load Ember stages like their own. A model adds
 * {@code model/model.json} (the architecture) and {@code model/model.safetensors} (the weights), Ember's model files.
 * Loading checks that the metadata names the expected class before creating anything, and rebuilds the network from
 * JSON through the ModuleRegistry: no code named by the files runs.
 */
final class StagePersistence {
    static final String MODEL_DIR = "model";

    private StagePersistence() {
    }

    /** Writes a stage's params metadata. */
    static final class ParamsWriter extends MLWriter {
        private final Params instance;

        ParamsWriter(Params instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
        }
    }

    /** Reads a stage written by {@link ParamsWriter}. */
    static final class ParamsReader<T extends Params> extends MLReader<T> {
        private final Class<T> type;
        private final Function<String, T> create;

        ParamsReader(Class<T> type, Function<String, T> create) {
            this.type = type;
            this.create = create;
        }

        @Override
        public T load(String path) {
            return loadParams(sparkSession(), path, type, create);
        }
    }

    /** Reads the metadata at {@code path}, checks it names {@code type}, creates the stage and sets its params. */
    static <T extends Params> T loadParams(SparkSession spark, String path, Class<T> type,
                                           Function<String, T> create) {
        DefaultParamsReader.Metadata md;
        try {
            md = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, "");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(type.getSimpleName() + ".load: cannot read the stage metadata at "
                    + path + "/metadata: " + e.getMessage(), e);
        }
        if (!type.getName().equals(md.className())) {
            throw new IllegalArgumentException(type.getSimpleName() + ".load: " + path + " holds a "
                    + md.className() + ", not a " + type.getName());
        }
        T stage = create.apply(md.uid());
        md.getAndSetParams(stage, Option.empty());
        return stage;
    }

    /** Writes an {@link EmberModel}: params metadata and the model files. */
    static final class ModelWriter extends MLWriter {
        private final EmberModel model;

        ModelWriter(EmberModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            Path dir = new Path(path, MODEL_DIR);
            try {
                FileSystem fs = dir.getFileSystem(sc().hadoopConfiguration());
                fs.mkdirs(dir);
                try (OutputStream json = fs.create(new Path(dir, ModelIO.MODEL_JSON), true);
                     OutputStream weights = fs.create(new Path(dir, ModelIO.WEIGHTS), true)) {
                    ModelIO.save(model.module(), json, weights);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("EmberModel.save: writing " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads an {@link EmberModel}. */
    static final class ModelReader extends MLReader<EmberModel> {
        @Override
        public EmberModel load(String path) {
            EmberModel m = loadParams(sparkSession(), path, EmberModel.class, EmberModel::new);
            Path dir = new Path(path, MODEL_DIR);
            Module module;
            try {
                FileSystem fs = dir.getFileSystem(sc().hadoopConfiguration());
                Path json = new Path(dir, ModelIO.MODEL_JSON);
                Path weights = new Path(dir, ModelIO.WEIGHTS);
                for (Path p : new Path[] {json, weights}) {
                    if (!fs.exists(p)) {
                        throw new IllegalArgumentException("EmberModel.load: " + p + " is missing; " + path
                                + " is not a complete saved EmberModel");
                    }
                }
                try (InputStream j = fs.open(json); InputStream w = fs.open(weights)) {
                    module = ModelIO.load(j, w);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("EmberModel.load: reading " + dir + ": " + e.getMessage(), e);
            }
            m.setModule(module);
            return m;
        }
    }
}
