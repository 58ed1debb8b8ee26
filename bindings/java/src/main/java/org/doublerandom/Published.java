package org.doublerandom;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What a step published: the document and its signature, to store under their names, and
 * the log entry appended. */
public final class Published {
    private final String drawId;
    private final String name;
    private final String document;
    private final String signatureName;
    private final String signature;
    private final String entry;

    Published(String json) {
        Map<String, Object> m = Json.object(json);
        this.drawId = (String) m.get("draw_id");
        this.name = (String) m.get("name");
        this.document = (String) m.get("document");
        this.signatureName = (String) m.get("signature_name");
        this.signature = (String) m.get("signature");
        this.entry = (String) m.get("entry");
    }

    public String drawId() { return drawId; }

    /** The document's file name: announcement.json, sheet.json, amendment-N.json, void.json. */
    public String name() { return name; }

    /** The document's bytes (canonical JSON), exactly as signed. */
    public byte[] document() { return document.getBytes(StandardCharsets.UTF_8); }

    /** The signature's file name ({@code <name>.minisig}). */
    public String signatureName() { return signatureName; }

    /** The signature file's text. */
    public String signature() { return signature; }

    /** The log line appended (without its newline). */
    public String entry() { return entry; }
}
