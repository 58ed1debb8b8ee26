package org.doublerandom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The result of verifying a draw: PASS or the findings, each with its stable code. */
public final class Verification {
    private final String json;
    private final boolean passed;
    private final boolean replayed;
    private final List<String> findingCodes = new ArrayList<String>();

    @SuppressWarnings("unchecked")
    Verification(String json) {
        this.json = json;
        Map<String, Object> m = Json.object(json);
        this.passed = Boolean.TRUE.equals(m.get("passed"));
        this.replayed = Boolean.TRUE.equals(m.get("replayed"));
        for (String list : new String[] {"findings", "log_findings"}) {
            for (Object f : (List<Object>) m.get(list)) {
                findingCodes.add((String) ((Map<String, Object>) f).get("code"));
            }
        }
    }

    /** Every check passed and the log is sound. */
    public boolean passed() { return passed; }

    /** The draw was replayed from the inputs. */
    public boolean replayed() { return replayed; }

    /** The codes of the findings (docs/MESSAGES.md), empty on PASS. */
    public List<String> findingCodes() { return Collections.unmodifiableList(findingCodes); }

    /** The whole result as JSON: checks, findings with their fields, log findings. */
    public String json() { return json; }
}
