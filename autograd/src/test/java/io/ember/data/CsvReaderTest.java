package io.ember.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.tensor.DType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void read_headerAndLabel_featuresAreOtherColumns() throws IOException {
        Path p = write("t.csv", "a,y,b\n1,0,2.5\n-3,1,4e-1\n");
        CsvData d = new CsvReader().label("y").read(p);
        assertEquals(List.of("a", "b"), d.featureNames());
        assertEquals("y", d.labelName());
        assertEquals(DType.FLOAT32, d.features().dtype());
        assertArrayEquals(new int[] {2, 2}, d.features().shape().toArray());
        assertArrayEquals(new float[] {1, 2.5f, -3, 0.4f}, d.features().toFloatArray());
        assertEquals(DType.INT64, d.labels().dtype());
        assertArrayEquals(new long[] {0, 1}, d.labels().toLongArray());
        assertEquals(2, d.toDataset().size());
    }

    @Test
    void read_quotedFields_delimiterQuotesAndNewlinesInside() throws IOException {
        // a quoted header with the delimiter, an escaped quote and a line break inside; CRLF line ends
        String text = "\"x;1\";\"the \"\"label\"\"\";note\r\n"
                + "\"1.5\";2;\"multi\nline\"\r\n"
                + "3;\"4\";plain\r\n";
        Path p = write("q.csv", text);
        CsvData d = new CsvReader().delimiter(';').features("x;1").label("the \"label\"").read(p);
        assertEquals(List.of("x;1"), d.featureNames());
        assertArrayEquals(new float[] {1.5f, 3}, d.features().toFloatArray());
        assertArrayEquals(new long[] {2, 4}, d.labels().toLongArray());
    }

    @Test
    void read_noHeader_selectColumnsByIndex_floatLabels() throws IOException {
        Path p = write("n.csv", "\uFEFF1,2,3,0.25\n\n4,5,6,-1.5\n");
        CsvData d = new CsvReader().header(false).features(2, 0).label(3).labelType(DType.FLOAT32).read(p);
        assertEquals(List.of("2", "0"), d.featureNames());
        assertArrayEquals(new float[] {3, 1, 6, 4}, d.features().toFloatArray());
        assertEquals(DType.FLOAT32, d.labels().dtype());
        assertArrayEquals(new float[] {0.25f, -1.5f}, d.labels().toFloatArray());
    }

    @Test
    void read_noLabel_allColumnsAsFeatures_gzipped() throws IOException {
        Path p = dir.resolve("g.csv.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(p))) {
            os.write("a,b\n1,2\n3,4\n5,6\n".getBytes(StandardCharsets.UTF_8));
        }
        CsvData d = new CsvReader().read(p);
        assertNull(d.labels());
        assertArrayEquals(new int[] {3, 2}, d.features().shape().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features().toFloatArray());
    }

    @Test
    void read_categoricalLabels_sortedClassIndices() throws IOException {
        Path p = write("iris.csv", "len,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n");
        CsvData d = new CsvReader().label("species").categoricalLabels(true).read(p);
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classes());
        assertArrayEquals(new long[] {2, 0, 1, 0}, d.labels().toLongArray());
    }

    @Test
    void read_nonNumericValue_namesFileLineAndColumn() throws IOException {
        Path p = write("bad.csv", "a,b,y\n1,2,0\n\n3,abc,1\n");
        IOException e = assertThrows(IOException.class, () -> new CsvReader().label("y").read(p));
        assertEquals("CsvReader: " + p + " line 4, column 2 (\"b\"): expected a number, found \"abc\"", e.getMessage());
        Path suffix = write("suffix.csv", "a\n1f\n");
        assertEquals("CsvReader: " + suffix + " line 2, column 1 (\"a\"): expected a number, found \"1f\"",
                assertThrows(IOException.class, () -> new CsvReader().read(suffix)).getMessage());
    }

    @Test
    void read_emptyField_errorOrMissingValue() throws IOException {
        Path p = write("m.csv", "a,b\n1,\n");
        assertEquals("CsvReader: " + p + " line 2, column 2 (\"b\"): expected a number, found \"\"",
                assertThrows(IOException.class, () -> new CsvReader().read(p)).getMessage());
        float[] got = new CsvReader().missingValue(Double.NaN).read(p).features().toFloatArray();
        assertEquals(1f, got[0]);
        assertEquals(Float.NaN, got[1]);
    }

    @Test
    void read_badLabelsAndShapes_failClearly() throws IOException {
        Path p = write("l.csv", "x,y\n1,0.5\n");
        assertEquals("CsvReader: " + p + " line 2, column 2 (\"y\"): expected an integer label, found \"0.5\" "
                        + "(use labelType(FLOAT32) for real-valued targets)",
                assertThrows(IOException.class, () -> new CsvReader().label("y").read(p)).getMessage());
        Path ragged = write("r.csv", "x,y\n1,2\n3\n");
        assertEquals("CsvReader: " + ragged + " line 3: expected 2 fields, found 1",
                assertThrows(IOException.class, () -> new CsvReader().read(ragged)).getMessage());
        Path open = write("o.csv", "x\n\"12\n");
        assertEquals("CsvReader: " + open + " line 2, column 1: quoted field never closed",
                assertThrows(IOException.class, () -> new CsvReader().read(open)).getMessage());
        assertEquals("CsvReader: " + p + " has no column named \"z\"; columns are [x, y]",
                assertThrows(IllegalArgumentException.class, () -> new CsvReader().label("z").read(p)).getMessage());
    }
}
