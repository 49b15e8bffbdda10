package dev.myelin.io;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child-process main for {@link CheckpointTest}: holds the exclusive lock a live save holds on
 * its temporary file (the byte at Long.MAX_VALUE - 1) on the file in args[0], prints "locked",
 * and keeps it until its standard input closes.
 */
public final class TempFileLockProcess {
    private TempFileLockProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
             FileLock lock = ch.lock(Long.MAX_VALUE - 1, 1, false)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
