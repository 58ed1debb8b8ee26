package org.doublerandom;

import java.util.Collections;
import java.util.Map;

/**
 * A call refused by the library: the C ABI's status, the stable code of the cause (such as
 * {@code step.not_yet_due}, {@code ceremony.recusal_cap}, {@code sign.bad_password}) and its
 * structured fields. See docs/bindings/c.md for the statuses and codes.
 */
public class DoubleRandomException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A bad argument (request JSON, hex, time, null). */
    public static final int ARGUMENT = 1;
    /** Rosters or plan refused: fields.problems lists each with file, line and field. */
    public static final int INPUT = 2;
    /** A ceremony step refused by the ceremony's rules or the log. */
    public static final int REFUSED = 3;
    /** A key that cannot be read or a signature not made. */
    public static final int KEY = 4;
    /** A stratum's member list does not match the sheet. */
    public static final int REPLAY = 5;
    /** The office holds no such document. */
    public static final int NOT_FOUND = 6;
    /** A bug in the library: nothing was published. */
    public static final int INTERNAL = 7;

    private final int status;
    private final String code;
    private final Map<String, Object> fields;

    DoubleRandomException(int status, String code, String message, Map<String, Object> fields) {
        super(code + ": " + message);
        this.status = status;
        this.code = code;
        this.fields = fields == null ? Collections.<String, Object>emptyMap()
                : Collections.unmodifiableMap(fields);
    }

    @SuppressWarnings("unchecked")
    static DoubleRandomException fromJson(int status, String json) {
        try {
            Map<String, Object> e = Json.object(json);
            return new DoubleRandomException(status, String.valueOf(e.get("code")),
                    String.valueOf(e.get("message")), (Map<String, Object>) e.get("fields"));
        } catch (RuntimeException bad) {
            return new DoubleRandomException(status, "internal.error_json", json, null);
        }
    }

    /** The C ABI's status (one of the constants of this class). */
    public int getStatus() {
        return status;
    }

    /** The stable code of the cause. */
    public String getCode() {
        return code;
    }

    /** The cause's structured fields. */
    public Map<String, Object> getFields() {
        return fields;
    }
}
