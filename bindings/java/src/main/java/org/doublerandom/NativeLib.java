package org.doublerandom;

import com.sun.jna.IntegerType;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;
import java.util.Arrays;
import java.util.List;

/**
 * The C ABI as JNA sees it (bindings/c/include/double_random.h). Loaded once from the library
 * named by the system property {@code doublerandom.library} (a full path), or else found by
 * JNA as {@code double_random_ffi} on {@code jna.library.path} / the system's search path.
 */
interface NativeLib extends Library {
    /** The loaded library. */
    NativeLib LIB = load();

    /** Loads the library. */
    static NativeLib load() {
        String path = System.getProperty("doublerandom.library");
        return Native.load(path != null ? path : "double_random_ffi", NativeLib.class);
    }

    /** C's {@code size_t}. */
    final class SizeT extends IntegerType {
        private static final long serialVersionUID = 1L;

        public SizeT() {
            this(0);
        }

        public SizeT(long value) {
            super(Native.SIZE_T_SIZE, value, true);
        }
    }

    /** {@code DrBuffer}: bytes the library filled, freed with dr_buffer_free. */
    class DrBuffer extends Structure {
        public Pointer data;
        public SizeT len;

        @Override
        protected List<String> getFieldOrder() {
            return Arrays.asList("data", "len");
        }

        /** The bytes, copied. */
        byte[] bytes() {
            long n = len == null ? 0 : len.longValue();
            return data == null || n == 0 ? new byte[0] : data.getByteArray(0, (int) n);
        }
    }

    String dr_version();

    int dr_abi_version();

    void dr_buffer_free(DrBuffer buffer);

    int dr_inputs_load(byte[] entities, SizeT entitiesLen, byte[] inspectors, SizeT inspectorsLen,
            byte[] items, SizeT itemsLen, byte[] conflicts, SizeT conflictsLen, byte[] history,
            SizeT historyLen, byte[] plan, SizeT planLen, PointerByReference inputsOut,
            DrBuffer out);

    void dr_inputs_free(Pointer inputs);

    int dr_key_from_seed(byte[] keyId, byte[] seed, PointerByReference keyOut, DrBuffer out);

    int dr_key_from_minisign(byte[] text, SizeT textLen, byte[] password, SizeT passwordLen,
            PointerByReference keyOut, DrBuffer out);

    void dr_key_free(Pointer key);

    Pointer dr_office_new();

    void dr_office_free(Pointer office);

    int dr_office_set_log(Pointer office, byte[] log, SizeT logLen, DrBuffer out);

    int dr_office_log(Pointer office, DrBuffer out);

    int dr_office_put(Pointer office, byte[] drawId, SizeT drawIdLen, byte[] name, SizeT nameLen,
            byte[] data, SizeT dataLen, DrBuffer out);

    int dr_office_get(Pointer office, byte[] drawId, SizeT drawIdLen, byte[] name, SizeT nameLen,
            DrBuffer out);

    SizeT dr_office_len(Pointer office);

    int dr_office_list(Pointer office, DrBuffer out);

    int dr_announce(Pointer office, Pointer inputs, Pointer key, byte[] request, SizeT len,
            DrBuffer out);

    int dr_draw(Pointer office, Pointer inputs, Pointer key, byte[] request, SizeT len,
            DrBuffer out);

    int dr_amend(Pointer office, Pointer inputs, Pointer key, byte[] request, SizeT len,
            DrBuffer out);

    int dr_void(Pointer office, Pointer key, byte[] request, SizeT len, DrBuffer out);

    int dr_verify(Pointer office, Pointer inputs, byte[] request, SizeT len, DrBuffer out);

    int dr_commitment(byte[] request, SizeT len, DrBuffer out);

    int dr_replay_stratum(byte[] request, SizeT len, DrBuffer out);
}
