package dev.myelin.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Replaces a file atomically: the content goes to a hidden temporary file beside the target,
 * {@code .NAME.<digits>.tmp}, which is forced to disk and renamed over the target, so a crash
 * mid-save leaves any previous file intact. The temporary file is created like any other output
 * ({@code Files.newOutputStream}: mode 0666 less the umask), so the target ends with that mode.
 *
 * <p>A save killed mid-write leaves its temporary file behind; the next save of the same target
 * deletes such leftovers. A leftover is one whose name is exactly the target's pattern, last
 * modified more than {@link #STALE_AFTER} ago, and not being written: every save holds an
 * exclusive lock (on a byte range far past the end, so readers are never blocked) on its
 * temporary file until it is renamed, and a leftover is deleted only while the cleaner holds that
 * lock itself. Two saves of the same target, in one process or several, therefore never delete
 * each other's file; the age test covers the instant between a file's creation and its lock.
 * Where the file system cannot lock, nothing is deleted. Cleaning is best effort: it never makes
 * a save fail.
 */
final class AtomicWrite {
    /** How long a temporary file must be left unmodified before it may be a leftover. */
    static final Duration STALE_AFTER = Duration.ofSeconds(60);
    /** The locked byte: far past any real file's end, so locking it never blocks a reader. */
    private static final long LOCK_POSITION = Long.MAX_VALUE - 1;
    /** Temporary files this process is writing: never opened by its own cleaner (closing any
     * channel on a file drops the process's POSIX locks on it, the writer's included). */
    private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

    private AtomicWrite() {
    }

    /** Writes the content of a file to an open channel, positioned at 0. */
    interface Content {
        void writeTo(FileChannel ch) throws IOException;
    }

    /**
     * Writes {@code content} to {@code file} atomically, replacing any existing file.
     *
     * @param what names the writer in messages, e.g. "safetensors"
     * @throws NoSuchFileException naming {@code file} when its directory does not exist
     */
    static void write(Path file, String what, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        removeLeftovers(dir, name);
        Path temp;
        FileChannel ch;
        while (true) {
            temp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            try {
                ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (FileAlreadyExistsException e) {
                // another random name
            } catch (NoSuchFileException e) {
                if (Files.isDirectory(dir)) throw e;
                throw new NoSuchFileException(file.toString(), null, what + ": cannot save: directory " + dir
                        + (Files.exists(dir) ? " is not a directory" : " does not exist"));
            }
        }
        WRITING.add(temp);
        boolean moved = false;
        try {
            try (FileChannel out = ch) {
                tryLock(out); // released when out closes, after the rename
                content.writeTo(out);
                out.force(true);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    throw new IOException(what + ": cannot replace " + target + " atomically on this file system", e);
                }
                moved = true;
            }
            syncDirectory(dir);
        } finally {
            if (!moved) Files.deleteIfExists(temp);
            WRITING.remove(temp);
        }
    }

    private static FileLock tryLock(FileChannel ch) {
        try {
            return ch.tryLock(LOCK_POSITION, 1, false);
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            return null; // no locks here: cleaners will not delete what they cannot lock either
        }
    }

    /** Deletes the leftovers of earlier saves of {@code dir/name}, as the class comment defines them. */
    private static void removeLeftovers(Path dir, String name) {
        Pattern pattern = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9]+\\.tmp");
        Instant staleBefore = Instant.now().minus(STALE_AFTER);
        DirectoryStream.Filter<Path> filter = p -> pattern.matcher(p.getFileName().toString()).matches();
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir, filter)) {
            for (Path p : candidates) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (!attrs.isRegularFile() || !attrs.lastModifiedTime().toInstant().isBefore(staleBefore)) continue;
                    if (WRITING.contains(p)) continue;
                    deleteIfUnlocked(p);
                } catch (IOException | RuntimeException e) {
                    // best effort: leave it for a later save
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort, as above (a missing directory is reported by the save itself)
        }
    }

    private static void deleteIfUnlocked(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = ch.tryLock(LOCK_POSITION, 1, false);
            if (lock == null) return; // a live save in another process holds it
            Files.delete(p);
        } catch (OverlappingFileLockException | UnsupportedOperationException e) {
            // held by this process after all, or no locks on this file system: keep it
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the file's own data was already forced.
        }
    }
}
