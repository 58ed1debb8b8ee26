package org.doublerandom;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checked inputs of a draw: the rosters as CSV bytes (UTF-8 or GB18030, Chinese or English
 * headers) and the plan as TOML. Holds native memory: close it (try-with-resources). Immutable:
 * one value may serve several threads.
 */
public final class Inputs implements AutoCloseable {
    private Pointer handle;
    private final String report;

    private Inputs(Pointer handle, String report) {
        this.handle = handle;
        this.report = report;
    }

    /** A builder for inputs given as bytes. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reads entities.csv, inspectors.csv, items.csv, plan.toml and, if present, conflicts.csv
     * and history.csv from a folder. */
    public static Inputs fromDirectory(Path dir) throws IOException {
        Builder b = builder()
                .entities(Files.readAllBytes(dir.resolve("entities.csv")))
                .inspectors(Files.readAllBytes(dir.resolve("inspectors.csv")))
                .items(Files.readAllBytes(dir.resolve("items.csv")))
                .plan(Files.readAllBytes(dir.resolve("plan.toml")));
        if (Files.exists(dir.resolve("conflicts.csv"))) {
            b.conflicts(Files.readAllBytes(dir.resolve("conflicts.csv")));
        }
        if (Files.exists(dir.resolve("history.csv"))) {
            b.history(Files.readAllBytes(dir.resolve("history.csv")));
        }
        return b.build();
    }

    /** The check's report as JSON: {"digests", "plan", "warnings"}. */
    public String report() {
        return report;
    }

    /** The check's report, parsed. */
    public Map<String, Object> reportMap() {
        return Json.object(report);
    }

    Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("the inputs are closed");
        }
        return handle;
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            NativeLib.LIB.dr_inputs_free(handle);
            handle = null;
        }
    }

    /** Collects the files, then reads and checks them ({@link #build}). */
    public static final class Builder {
        private byte[] entities;
        private byte[] inspectors;
        private byte[] items;
        private byte[] conflicts;
        private byte[] history;
        private byte[] plan;

        public Builder entities(byte[] csv) { this.entities = csv; return this; }

        public Builder inspectors(byte[] csv) { this.inspectors = csv; return this; }

        public Builder items(byte[] csv) { this.items = csv; return this; }

        /** Optional: absent is the empty table. */
        public Builder conflicts(byte[] csv) { this.conflicts = csv; return this; }

        /** Optional: absent is the empty table. */
        public Builder history(byte[] csv) { this.history = csv; return this; }

        public Builder plan(byte[] toml) { this.plan = toml; return this; }

        /** Reads and checks the inputs; every problem is in the exception's fields. */
        public Inputs build() {
            final PointerByReference ref = new PointerByReference();
            final byte[] e = orEmpty(entities), i = orEmpty(inspectors), it = orEmpty(items),
                    p = orEmpty(plan);
            String report = Call.text(out -> NativeLib.LIB.dr_inputs_load(e, Call.len(e), i,
                    Call.len(i), it, Call.len(it), conflicts, Call.len(conflicts), history,
                    Call.len(history), p, Call.len(p), ref, out));
            return new Inputs(ref.getValue(), report);
        }

        private static byte[] orEmpty(byte[] b) {
            return b == null ? new byte[0] : b;
        }
    }
}
