package org.doublerandom;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * An office in memory: the log and the documents published so far. Each step reads it and, on
 * success, publishes into it and returns what it published ({@link Published}) for your own
 * storage; load what your storage holds with {@link #put} and {@link #setLog}. Holds native
 * memory: close it. Steps on one office run one after another, from any thread.
 */
public final class Office implements AutoCloseable {
    private Pointer handle;

    /** An empty office. */
    public Office() {
        handle = NativeLib.LIB.dr_office_new();
        if (handle == null) {
            throw new OutOfMemoryError("dr_office_new");
        }
    }

    private Pointer h() {
        if (handle == null) {
            throw new IllegalStateException("the office is closed");
        }
        return handle;
    }

    /** Sets the log ({@code office.log} read back from storage). */
    public void setLog(final byte[] log) {
        Call.run(out -> NativeLib.LIB.dr_office_set_log(h(), log, Call.len(log), out));
    }

    /** The log's bytes. */
    public byte[] log() {
        return Call.run(out -> NativeLib.LIB.dr_office_log(h(), out));
    }

    /** Loads a published document or signature (never over one the office holds). */
    public void put(String drawId, String name, final byte[] data) {
        final byte[] d = Call.utf8(drawId), n = Call.utf8(name);
        Call.run(out -> NativeLib.LIB.dr_office_put(h(), d, Call.len(d), n, Call.len(n), data,
                Call.len(data), out));
    }

    /** A document's or signature's bytes; {@link DoubleRandomException#NOT_FOUND} if absent. */
    public byte[] get(String drawId, String name) {
        final byte[] d = Call.utf8(drawId), n = Call.utf8(name);
        return Call.run(out -> NativeLib.LIB.dr_office_get(h(), d, Call.len(d), n, Call.len(n),
                out));
    }

    /** How many files (documents and signatures) the office holds. */
    public long size() {
        return NativeLib.LIB.dr_office_len(h()).longValue();
    }

    /** Every file as {draw id, name}. */
    @SuppressWarnings("unchecked")
    public List<String[]> files() {
        List<String[]> out = new ArrayList<String[]>();
        for (Object o : (List<Object>) Json.parse(Call.text(b -> NativeLib.LIB.dr_office_list(h(), b)))) {
            List<Object> pair = (List<Object>) o;
            out.add(new String[] {(String) pair.get(0), (String) pair.get(1)});
        }
        return out;
    }

    /** Announces a draw. */
    public Published announce(Inputs inputs, SigningKey key, Request request) {
        final byte[] r = Call.utf8(request.toJson());
        return new Published(Call.text(out -> NativeLib.LIB.dr_announce(h(), inputs.handle(),
                key.handle(), r, Call.len(r), out)));
    }

    /** Draws an announced draw. */
    public Published draw(Inputs inputs, SigningKey key, Request request) {
        final byte[] r = Call.utf8(request.toJson());
        return new Published(Call.text(out -> NativeLib.LIB.dr_draw(h(), inputs.handle(),
                key.handle(), r, Call.len(r), out)));
    }

    /** Amends a drawn draw. */
    public Published amend(Inputs inputs, SigningKey key, Request request) {
        final byte[] r = Call.utf8(request.toJson());
        return new Published(Call.text(out -> NativeLib.LIB.dr_amend(h(), inputs.handle(),
                key.handle(), r, Call.len(r), out)));
    }

    /** Voids an announced draw that has no sheet. */
    public Published voidDraw(SigningKey key, Request request) {
        final byte[] r = Call.utf8(request.toJson());
        return new Published(Call.text(out -> NativeLib.LIB.dr_void(h(), key.handle(), r,
                Call.len(r), out)));
    }

    /** Verifies a drawn draw against the organizer's public key ({@code .pub} text); with
     * inputs (or {@code null}) it is replayed in full. A failed verification is a result. */
    public Verification verify(String drawId, String publicKey, Inputs inputs, boolean strict) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<String, Object>();
        m.put("draw_id", drawId);
        m.put("public_key", publicKey);
        m.put("strict", strict);
        final byte[] r = Call.utf8(Json.write(m));
        final Pointer in = inputs == null ? null : inputs.handle();
        return new Verification(Call.text(out -> NativeLib.LIB.dr_verify(h(), in, r,
                Call.len(r), out)));
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            NativeLib.LIB.dr_office_free(handle);
            handle = null;
        }
    }
}
