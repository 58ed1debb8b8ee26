package org.doublerandom;

import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Java binding's tests, a plain runner (no framework): every ceremony vector through the
 * steps of bindings/testdata/ceremonies.txt, byte for byte; the builders; errors and handles.
 *
 * <pre>java -cp jna.jar:classes org.doublerandom.CeremonyTest REPO_ROOT</pre>
 */
public final class CeremonyTest {
    private static int passed;
    private static int failed;
    private static final Pattern PUBLISHED =
            Pattern.compile("(announcement|sheet|void|amendment-[0-9]+|checkpoint-[0-9]+)\\.json(\\.minisig)?");
    private static final byte[] KEY_ID = {0x5a, 2, 0, 2, 6, 1, 2, 5};

    private static void check(boolean ok, String what) {
        if (ok) {
            passed++;
        } else {
            failed++;
            System.err.println("FAIL: " + what);
        }
    }

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) b);
        return s;
    }

    private static byte[] secret(int b) {
        byte[] s = new byte[32];
        for (int i = 0; i < 32; i++) {
            s[i] = (byte) (b + i);
        }
        return s;
    }

    public static void main(String[] args) throws Exception {
        Path root = Paths.get(args.length > 0 ? args[0] : ".");
        Path vectors = root.resolve("tests/vectors");
        check(DoubleRandom.version().startsWith("double-random-ffi "), "version");
        vectorsThroughTheScript(root.resolve("bindings/testdata/ceremonies.txt"), vectors);
        buildersMakeTheSameAnnouncement(vectors);
        errorsCarryTheirCodes(vectors);
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    private static void vectorsThroughTheScript(Path script, Path vectors) throws Exception {
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        try (SigningKey key = SigningKey.fromSeed(KEY_ID, seed(42))) {
            check(key.keyId().equals("050201060200025A"), "key id " + key.keyId());
            Office office = null;
            Inputs inputs = null;
            String vector = null;
            for (String line : lines) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] vr = line.split(" ", 2);
                String verb = vr[0];
                String rest = vr[1];
                if (verb.equals("vector")) {
                    if (office != null) {
                        compare(office, vectors.resolve(vector));
                        office.close();
                    }
                    vector = rest;
                    office = new Office();
                    continue;
                }
                if (verb.equals("inputs")) {
                    if (inputs != null) inputs.close();
                    inputs = Inputs.fromDirectory(vectors.resolve(rest));
                    continue;
                }
                String expect = null;
                if (verb.equals("refuse")) {
                    String[] p = rest.split(" ", 3);
                    expect = p[0];
                    verb = p[1];
                    rest = p[2];
                }
                Request req = Request.ofJson(rest);
                String what = vector + " " + verb;
                try {
                    if (verb.equals("verify")) {
                        Map<String, Object> m = Json.object(rest);
                        Verification v = office.verify((String) m.get("draw_id"),
                                (String) m.get("public_key"), inputs, false);
                        check(v.passed() && v.replayed(), what + ": " + v.json());
                        continue;
                    }
                    Published p;
                    if (verb.equals("announce")) p = office.announce(inputs, key, req);
                    else if (verb.equals("draw")) p = office.draw(inputs, key, req);
                    else if (verb.equals("amend")) p = office.amend(inputs, key, req);
                    else p = office.voidDraw(key, req);
                    check(expect == null, what + ": published, expected " + expect);
                    check(Arrays.equals(office.get(p.drawId(), p.name()), p.document()),
                            what + ": the office holds what was returned");
                } catch (DoubleRandomException e) {
                    check(expect != null && expect.equals(e.getCode())
                            && e.getStatus() == DoubleRandomException.REFUSED, what + ": " + e);
                }
            }
            compare(office, vectors.resolve(vector));
            office.close();
            inputs.close();
        }
    }

    private static void compare(Office office, Path vector) throws Exception {
        TreeSet<String> expected = new TreeSet<String>();
        try (DirectoryStream<Path> draws = Files.newDirectoryStream(vector)) {
            for (Path d : draws) {
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    for (Path f : files) {
                        String name = f.getFileName().toString();
                        if (!PUBLISHED.matcher(name).matches()) continue;
                        String id = d.getFileName().toString();
                        expected.add(id + "/" + name);
                        check(Arrays.equals(office.get(id, name), Files.readAllBytes(f)),
                                "byte for byte: " + f);
                    }
                }
            }
        }
        TreeSet<String> held = new TreeSet<String>();
        for (String[] f : office.files()) {
            held.add(f[0] + "/" + f[1]);
        }
        check(held.equals(expected) && !held.isEmpty(), vector + ": the same files " + held);
        check(Arrays.equals(office.log(), Files.readAllBytes(vector.resolve("office.log"))),
                vector + ": office.log");
    }

    /** The builders write the request the script gives as JSON: the same announcement. */
    private static void buildersMakeTheSameAnnouncement(Path vectors) throws Exception {
        String id = "GY-2026-03-R";
        String witness = "监督人-王";
        try (SigningKey key = SigningKey.fromSeed(KEY_ID, seed(42));
                Inputs inputs = Inputs.fromDirectory(vectors.resolve("04-conflicts-region"));
                Office office = new Office()) {
            Published p = office.announce(inputs, key, new Request.Announce()
                    .drawId(id)
                    .organizer("贵阳市市场监督管理局")
                    .organizerSecret(secret(0x10))
                    .witness(witness, DoubleRandom.commitment(id, witness, secret(0xa0)))
                    .announcedAt("2026-03-01T01:00:00Z")
                    .scheduledAt("2026-03-01T02:00:00Z"));
            Path dir = vectors.resolve("ceremony-recusals").resolve(id);
            check(Arrays.equals(p.document(), Files.readAllBytes(dir.resolve("announcement.json"))),
                    "builder: announcement.json");
            check(p.signature().equals(new String(Files.readAllBytes(
                    dir.resolve("announcement.json.minisig")), StandardCharsets.UTF_8)),
                    "builder: announcement.json.minisig");
            Published s = office.draw(inputs, key, new Request.Draw().drawId(id)
                    .reveal("贵阳市市场监督管理局", secret(0x10)).reveal(witness, secret(0xa0))
                    .drawnAt("2026-03-01T02:00:00Z"));
            check(Arrays.equals(s.document(), Files.readAllBytes(dir.resolve("sheet.json"))),
                    "builder: sheet.json");
            Verification v = office.verify(id, key.publicKey(), inputs, true);
            check(v.passed() && v.findingCodes().isEmpty(), "builder: verifies " + v.json());
            Verification wrong = office.verify(id,
                    SigningKey.fromSeed(KEY_ID, seed(1)).publicKey(), null, false);
            check(!wrong.passed() && !wrong.findingCodes().isEmpty(),
                    "another key's public key fails: " + wrong.findingCodes());
        }
    }

    private static void errorsCarryTheirCodes(Path vectors) throws Exception {
        try (Office office = new Office()) {
            office.get("D1", "sheet.json");
            check(false, "a missing document throws");
        } catch (DoubleRandomException e) {
            check(e.getStatus() == DoubleRandomException.NOT_FOUND
                    && e.getCode().equals("office.missing_document"), "missing: " + e);
        }
        try {
            Inputs.builder().entities("id\n".getBytes(StandardCharsets.UTF_8))
                    .plan("plan_id = 1\n".getBytes(StandardCharsets.UTF_8)).build();
            check(false, "bad inputs throw");
        } catch (DoubleRandomException e) {
            @SuppressWarnings("unchecked")
            List<Object> problems = (List<Object>) e.getFields().get("problems");
            check(e.getStatus() == DoubleRandomException.INPUT && problems.size() > 1,
                    "inputs: " + e.getFields());
        }
        try {
            SigningKey.fromMinisign("not a key", "pw".toCharArray());
            check(false, "a bad key file throws");
        } catch (DoubleRandomException e) {
            check(e.getStatus() == DoubleRandomException.KEY && e.getCode().startsWith("sign."),
                    "key: " + e);
        }
        Inputs inputs = Inputs.fromDirectory(vectors.resolve("01-small-undirected"));
        inputs.close();
        inputs.close();
        try (Office office = new Office(); SigningKey key = SigningKey.fromSeed(KEY_ID, seed(3))) {
            office.announce(inputs, key, Request.ofJson("{}"));
            check(false, "closed inputs throw");
        } catch (IllegalStateException e) {
            check(true, "closed");
        }
        List<String> none = new ArrayList<String>();
        try {
            DoubleRandom.replayStratum("00", "all", none, 0, 0, "00");
            check(false, "bad digest throws");
        } catch (DoubleRandomException e) {
            check(e.getStatus() == DoubleRandomException.ARGUMENT, "replay request: " + e);
        }
    }
}
