package org.doublerandom;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.util.Arrays;
import java.util.Map;

/**
 * The organizer's signing key, held in native memory and wiped there when closed: close it
 * (try-with-resources). May be shared between threads while open.
 */
public final class SigningKey implements AutoCloseable {
    private Pointer handle;
    private final String keyId;
    private final String publicKey;

    private SigningKey(Pointer handle, String json) {
        this.handle = handle;
        Map<String, Object> m = Json.object(json);
        this.keyId = (String) m.get("key_id");
        this.publicKey = (String) m.get("public_key");
    }

    /** A key from its 8-byte id and 32-byte Ed25519 seed. The caller wipes {@code seed}. */
    public static SigningKey fromSeed(byte[] keyId, byte[] seed) {
        if (keyId.length != 8 || seed.length != 32) {
            throw new IllegalArgumentException("a key id is 8 bytes and a seed 32");
        }
        final PointerByReference ref = new PointerByReference();
        String json = Call.text(out -> NativeLib.LIB.dr_key_from_seed(keyId, seed, ref, out));
        return new SigningKey(ref.getValue(), json);
    }

    /** A key from a minisign secret key file's text and its password ({@code null} if the
     * key is not encrypted). The password's copy is wiped after the call. */
    public static SigningKey fromMinisign(String keyFile, char[] password) {
        final byte[] text = Call.utf8(keyFile);
        final byte[] pw = password == null ? null : Call.utf8(new String(password));
        final PointerByReference ref = new PointerByReference();
        try {
            String json = Call.text(out -> NativeLib.LIB.dr_key_from_minisign(text,
                    Call.len(text), pw, Call.len(pw), ref, out));
            return new SigningKey(ref.getValue(), json);
        } finally {
            if (pw != null) {
                Arrays.fill(pw, (byte) 0);
            }
        }
    }

    /** The key id as documents print it (16 hex digits). */
    public String keyId() {
        return keyId;
    }

    /** The public key as a minisign {@code .pub} file's text. */
    public String publicKey() {
        return publicKey;
    }

    Pointer handle() {
        if (handle == null) {
            throw new IllegalStateException("the key is closed");
        }
        return handle;
    }

    @Override
    public synchronized void close() {
        if (handle != null) {
            NativeLib.LIB.dr_key_free(handle);
            handle = null;
        }
    }
}
