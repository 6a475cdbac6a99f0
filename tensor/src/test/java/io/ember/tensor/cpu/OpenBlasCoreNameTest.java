package io.ember.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class OpenBlasCoreNameTest {
    /** Where OPENBLAS_CORETYPE is set (this project's machine sets Haswell), OpenBLAS reports running that family. */
    @Test
    void coreName_withCoretypeEnvironment_namesThatFamily() {
        String env = System.getenv("OPENBLAS_CORETYPE");
        assumeTrue(env != null && !env.isBlank(), "OPENBLAS_CORETYPE is not set here");
        assumeTrue(NativeGemm.available(), "no GEMM shim: " + NativeGemm.status());
        assertEquals(env.trim().toLowerCase(), String.valueOf(OpenBlas.coreName()).toLowerCase());
    }
}
