package org.doublerandom;

import java.nio.charset.StandardCharsets;

/** One native call: its buffer read, freed, and a failure turned into the exception. */
final class Call {
    private Call() {}

    interface Fn {
        int call(NativeLib.DrBuffer out);
    }

    static byte[] run(Fn f) {
        NativeLib.DrBuffer out = new NativeLib.DrBuffer();
        try {
            int status = f.call(out);
            byte[] b = out.bytes();
            if (status != 0) {
                throw DoubleRandomException.fromJson(status, new String(b, StandardCharsets.UTF_8));
            }
            return b;
        } finally {
            NativeLib.LIB.dr_buffer_free(out);
        }
    }

    static String text(Fn f) {
        return new String(run(f), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static NativeLib.SizeT len(byte[] b) {
        return new NativeLib.SizeT(b == null ? 0 : b.length);
    }

    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xff));
        }
        return s.toString();
    }
}
