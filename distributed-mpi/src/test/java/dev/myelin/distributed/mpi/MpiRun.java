package dev.myelin.distributed.mpi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs a main class of the test classpath as a 2-rank MPI job: {@code mpirun -np 2 --oversubscribe
 * --allow-run-as-root --bind-to none java ... Main args}, one CPU thread per rank, with a hard timeout after
 * which mpirun and every process under it are killed. Tests skip (with a message) only where mpirun is not
 * installed.
 */
final class MpiRun {
    private static final Duration HARD_TIMEOUT = Duration.ofSeconds(90);

    /** How a job ended: mpirun's exit status, the ranks' stdout and stderr interleaved, how long it took. */
    record Result(int exitCode, String output, Duration elapsed) {
        @Override
        public String toString() {
            return "mpirun exited " + exitCode + " after " + elapsed.toMillis() + " ms; output:\n" + output;
        }
    }

    private MpiRun() {}

    static String mpirun() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "mpirun");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /** Runs {@code main} on 2 ranks with extra environment variables; skips the test when mpirun is missing. */
    static Result run(Class<?> main, Map<String, String> env, String... args) {
        String mpirun = mpirun();
        assumeTrue(mpirun != null, "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)");
        // The JVM's options go in an @argfile: mpirun's Java support rewrites the argument that follows any
        // argument containing "cp" (it looks for -cp to add its mpi.jar), which hits -Dmyelin.cpu.threads too.
        Path argfile;
        try {
            argfile = Files.createTempFile("myelin-mpi-jvm", ".args");
            argfile.toFile().deleteOnExit();
            Files.write(argfile, List.of("--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED",
                    // two JVMs on two shared cores: small, quick to start, one CPU-backend thread each
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-Dmyelin.cpu.threads=1",
                    "-cp", quoted(System.getProperty("java.class.path"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(mpirun, "-np", "2", "--oversubscribe", "--allow-run-as-root",
                "--bind-to", "none", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + argfile, main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            StringBuilder out = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out));
            boolean ended = p.waitFor(HARD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                List<ProcessHandle> tree = p.descendants().toList();
                p.destroy(); // mpirun ends its ranks on SIGTERM
                if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            reader.join(5_000);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String text;
            synchronized (out) {
                text = out.toString();
            }
            if (!ended) {
                throw new AssertionError("mpirun did not end within " + HARD_TIMEOUT.toSeconds() + " s (a hang); "
                        + "output:\n" + text);
            }
            return new Result(p.exitValue(), text, elapsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            try {
                Files.deleteIfExists(argfile);
            } catch (IOException ignored) {
                // deleteOnExit has it
            }
        }
    }

    /** An argfile token: quoted, so that blanks in paths survive. */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void drain(InputStream in, StringBuilder out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            // the process went away
        }
    }
}
