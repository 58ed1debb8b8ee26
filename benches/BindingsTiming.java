import java.nio.file.Paths;
import org.doublerandom.*;

/** Times check inputs, announce, draw and verify through the Java binding (benches/bindings.sh). */
public class BindingsTiming {
    public static void main(String[] args) throws Exception {
        byte[] secret = new byte[32];
        java.util.Arrays.fill(secret, (byte) 9);
        byte[] id = new byte[8], seed = new byte[32];
        java.util.Arrays.fill(id, (byte) 1);
        java.util.Arrays.fill(seed, (byte) 2);
        long t = System.nanoTime();
        try (Inputs inputs = Inputs.fromDirectory(Paths.get(args[0]));
             SigningKey key = SigningKey.fromSeed(id, seed);
             Office office = new Office()) {
            double load = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            office.announce(inputs, key, new Request.Announce().drawId("B1").organizer("o")
                    .organizerSecret(secret).announcedAt("2026-03-01T01:00:00Z")
                    .scheduledAt("2026-03-01T02:00:00Z").drill(true));
            double announce = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            office.draw(inputs, key, new Request.Draw().drawId("B1").reveal("o", secret)
                    .drawnAt("2026-03-01T02:00:00Z"));
            double draw = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            Verification v = office.verify("B1", key.publicKey(), inputs, false);
            double verify = (System.nanoTime() - t) / 1e6;
            if (!v.passed()) throw new AssertionError(v.json());
            System.out.printf("java    load %8.1f ms  announce %6.1f ms  draw %8.1f ms  verify %8.1f ms%n",
                    load, announce, draw, verify);
        }
    }
}
