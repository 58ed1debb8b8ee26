package org.doublerandom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests of the ceremony's steps, made with builders. Each is the JSON the C ABI reads
 * ({@link #toJson}); {@link #ofJson} takes such JSON as it is.
 */
public abstract class Request {
    final Map<String, Object> fields = new LinkedHashMap<String, Object>();

    Request() {}

    /** The request's JSON. */
    public String toJson() {
        return Json.write(fields);
    }

    /** A request given as JSON text. */
    public static Request ofJson(final String json) {
        return new Request() {
            @Override
            public String toJson() {
                return json;
            }
        };
    }

    static String secret(byte[] s) {
        if (s.length != 32) {
            throw new IllegalArgumentException("a secret is 32 bytes");
        }
        return Call.hex(s);
    }

    /** {@code announce}: the draw, its parties, its beacon and its times. */
    public static final class Announce extends Request {
        private final List<Object> witnesses = new ArrayList<Object>();

        public Announce() {
            fields.put("witnesses", witnesses);
        }

        public Announce drawId(String id) { fields.put("draw_id", id); return this; }

        public Announce organizer(String name) { fields.put("organizer", name); return this; }

        /** The organizer's 32-byte secret (kept private until the draw). */
        public Announce organizerSecret(byte[] secret) {
            fields.put("organizer_secret", secret(secret));
            return this;
        }

        /** A witness and its commitment (hex, from {@link DoubleRandom#commitment}). */
        public Announce witness(String name, String commitment) {
            Map<String, Object> w = new LinkedHashMap<String, Object>();
            w.put("name", name);
            w.put("commitment", commitment);
            witnesses.add(w);
            return this;
        }

        /** The beacon's announced specification, as JSON (SPEC §8). */
        public Announce beacon(String json) { fields.put("beacon", new Json.RawJson(json)); return this; }

        /** UTC, e.g. {@code 2026-03-01T01:00:00Z}. */
        public Announce announcedAt(String t) { fields.put("announced_at", t); return this; }

        public Announce scheduledAt(String t) { fields.put("scheduled_at", t); return this; }

        public Announce drill(boolean drill) { fields.put("drill", drill); return this; }
    }

    /** {@code draw}: every party's secret, the beacon's value and the time. */
    public static final class Draw extends Request {
        private final List<Object> reveals = new ArrayList<Object>();

        public Draw() {
            fields.put("reveals", reveals);
        }

        public Draw drawId(String id) { fields.put("draw_id", id); return this; }

        public Draw reveal(String party, byte[] secret) {
            Map<String, Object> r = new LinkedHashMap<String, Object>();
            r.put("name", party);
            r.put("secret", secret(secret));
            reveals.add(r);
            return this;
        }

        /** The beacon's value, as JSON (SPEC §8). */
        public Draw beacon(String json) { fields.put("beacon", new Json.RawJson(json)); return this; }

        public Draw drawnAt(String t) { fields.put("drawn_at", t); return this; }
    }

    /** {@code amend}: replace an entity (补抽) or an inspector (回避). */
    public static final class Amend extends Request {
        public Amend drawId(String id) { fields.put("draw_id", id); return this; }

        public Amend replaceEntity(String entity) {
            Map<String, Object> a = new LinkedHashMap<String, Object>();
            a.put("kind", "replace_entity");
            a.put("entity", entity);
            fields.put("action", a);
            return this;
        }

        public Amend replaceInspector(String entity, String inspector) {
            Map<String, Object> a = new LinkedHashMap<String, Object>();
            a.put("kind", "replace_inspector");
            a.put("entity", entity);
            a.put("inspector", inspector);
            fields.put("action", a);
            return this;
        }

        /** A reason code (e.g. {@code inspector_recused}) and words. */
        public Amend reason(String code, String text) {
            Map<String, Object> r = new LinkedHashMap<String, Object>();
            r.put("code", code);
            r.put("text", text);
            fields.put("reason", r);
            return this;
        }

        public Amend amendedAt(String t) { fields.put("amended_at", t); return this; }
    }

    /** {@code void}: a reason and the time. */
    public static final class Void extends Request {
        public Void drawId(String id) { fields.put("draw_id", id); return this; }

        /** A reason code (e.g. {@code secret_not_revealed}) and words. */
        public Void reason(String code, String text) {
            Map<String, Object> r = new LinkedHashMap<String, Object>();
            r.put("code", code);
            r.put("text", text);
            fields.put("reason", r);
            return this;
        }

        public Void voidedAt(String t) { fields.put("voided_at", t); return this; }
    }
}
