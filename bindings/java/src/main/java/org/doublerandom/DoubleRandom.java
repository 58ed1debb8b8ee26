package org.doublerandom;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The library's version and its stateless functions. */
public final class DoubleRandom {
    private DoubleRandom() {}

    /** The native library's version, e.g. {@code double-random-ffi 0.1.0 (abi 1)}. */
    public static String version() {
        return NativeLib.LIB.dr_version();
    }

    /** The ABI's version this binding was written for. */
    public static final int ABI_VERSION = 1;

    /** A party's commitment to its 32-byte secret, in hex (SPEC §7). */
    public static String commitment(String drawId, String party, byte[] secret) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("draw_id", drawId);
        m.put("party", party);
        m.put("secret", Request.secret(secret));
        final byte[] r = Call.utf8(Json.write(m));
        return (String) Json.object(Call.text(out -> NativeLib.LIB.dr_commitment(r, Call.len(r),
                out))).get("commitment");
    }

    /** Replays one stratum from its member list and the sheet's values (SPEC §13.2); the
     * picks, or {@link DoubleRandomException#REPLAY} when the list does not match. */
    @SuppressWarnings("unchecked")
    public static List<String> replayStratum(String seed, String stratum, List<String> members,
            long n, long k, String membersDigest) {
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        m.put("seed", seed);
        m.put("stratum", stratum);
        m.put("members", members);
        m.put("n", n);
        m.put("k", k);
        m.put("members_digest", membersDigest);
        final byte[] r = Call.utf8(Json.write(m));
        return (List<String>) Json.object(Call.text(out -> NativeLib.LIB.dr_replay_stratum(r,
                Call.len(r), out))).get("picks");
    }
}
