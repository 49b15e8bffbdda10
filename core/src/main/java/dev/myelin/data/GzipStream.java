package dev.myelin.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The decompressed bytes of a gzip file (RFC 1952), inflated only as far as the caller reads,
 * so a reader bounded by a header's promise never inflates more than that (a decompression bomb
 * costs what was asked for, not what it holds). One member or several concatenated (as
 * {@code gzip} and {@code pigz} write); each member's CRC-32 and length are checked at its end.
 * Anything after the last member that is not another member is rejected, where
 * {@link java.util.zip.GZIPInputStream} ignores it.
 *
 * <p>Malformed input (truncated, corrupt, trailing garbage) throws IllegalArgumentException
 * whose message names the file and the compressed byte offset; read errors are IOExceptions.
 */
final class GzipStream extends InputStream {
    private static final int FTEXT = 1, FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16;

    private final InputStream in;
    private final Path file;
    private final byte[] buf = new byte[1 << 16];
    private int pos, lim;
    /** Compressed bytes consumed before buf[0]. */
    private long bufStart;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberSize;
    private boolean inMember;
    private boolean seenMember;
    private boolean ended;

    /** {@code in} is positioned at the first byte of the file, which must be gzip's magic 1f 8b. */
    GzipStream(InputStream in, Path file) {
        this.in = in;
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        while (!ended) {
            if (!inMember && !startMember()) {
                ended = true;
                break;
            }
            int n = inflate(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                memberSize += n;
                return n;
            }
            endMember();
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    /** Reads a member header; false at the clean end of the file after at least one member. */
    private boolean startMember() throws IOException {
        long at = offset();
        int id1 = next();
        if (id1 < 0 && seenMember) return false;
        int id2 = next();
        if (id1 != 0x1f || id2 != 0x8b) {
            if (!seenMember) throw malformed("gzip magic bytes 1f 8b", "something else at byte " + at);
            throw malformed("nothing after the last gzip member", trailingDescription(at));
        }
        CRC32 headerCrc = new CRC32();
        headerCrc.update(id1);
        headerCrc.update(id2);
        int cm = headerByte(headerCrc);
        if (cm != 8) throw malformed("gzip compression method 8 (deflate)", "method " + cm + " at byte " + (at + 2));
        int flags = headerByte(headerCrc);
        if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
            throw malformed("gzip header flags without reserved bits",
                    String.format("flags 0x%02x at byte %d", flags, at + 3));
        }
        for (int i = 0; i < 6; i++) headerByte(headerCrc); // MTIME, XFL, OS
        if ((flags & FEXTRA) != 0) {
            int xlen = headerByte(headerCrc) | headerByte(headerCrc) << 8;
            for (int i = 0; i < xlen; i++) headerByte(headerCrc);
        }
        if ((flags & FNAME) != 0) while (headerByte(headerCrc) != 0) { /* skip the original file name */ }
        if ((flags & FCOMMENT) != 0) while (headerByte(headerCrc) != 0) { /* skip the comment */ }
        if ((flags & FHCRC) != 0) {
            int expected = (int) (headerCrc.getValue() & 0xFFFF);
            long crcAt = offset();
            int found = headerByte(null) | headerByte(null) << 8;
            if (found != expected) {
                throw malformed("a gzip header CRC-16 of " + String.format("0x%04x", expected),
                        String.format("0x%04x at byte %d", found, crcAt));
            }
        }
        inflater.reset();
        crc.reset();
        memberSize = 0;
        inMember = true;
        seenMember = true;
        return true;
    }

    /** Inflates into b; 0 once the member's deflate data has ended. */
    private int inflate(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                String why = e.getMessage() != null ? e.getMessage() : "invalid deflate data";
                throw malformed("a valid gzip stream", "a corrupt one (" + why + ") before byte " + offset());
            }
            if (n > 0) return n;
            if (inflater.finished()) {
                pos = lim - inflater.getRemaining();
                return 0;
            }
            if (inflater.needsDictionary()) {
                throw malformed("a valid gzip stream", "deflate data asking for a preset dictionary");
            }
            if (inflater.needsInput()) {
                if (pos == lim && !fill()) throw truncated("inside the compressed data");
                inflater.setInput(buf, pos, lim - pos);
                pos = lim;
            }
        }
    }

    /** Checks the member's trailer: CRC-32 and length modulo 2^32 of its decompressed bytes. */
    private void endMember() throws IOException {
        long at = offset();
        long storedCrc = trailerInt();
        long storedSize = trailerInt();
        if (storedCrc != crc.getValue()) {
            throw malformed("a valid gzip stream",
                    String.format("a corrupt one (CRC-32 0x%08x in the trailer at byte %d, 0x%08x computed)",
                    storedCrc, at, crc.getValue()));
        }
        if (storedSize != (memberSize & 0xFFFFFFFFL)) {
            throw malformed("a valid gzip stream", "a corrupt one (length " + storedSize + " in the trailer at byte "
                    + (at + 4) + ", " + memberSize + " bytes decompressed)");
        }
        inMember = false;
    }

    private long trailerInt() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int c = next();
            if (c < 0) throw truncated("inside a member's 8-byte trailer");
            v |= (long) c << (8 * i);
        }
        return v;
    }

    private int headerByte(CRC32 headerCrc) throws IOException {
        int c = next();
        if (c < 0) throw truncated("inside a member's header");
        if (headerCrc != null) headerCrc.update(c);
        return c;
    }

    /** Describes the garbage starting at {@code at}, counting at most about 1 MiB of it. */
    private String trailingDescription(long at) throws IOException {
        while (offset() - at < 1 << 20 && next() >= 0) {
            // count it
        }
        boolean atEnd = next() < 0;
        return (atEnd ? "" : "at least ") + (offset() - at) + " bytes of trailing data starting at byte " + at;
    }

    private int next() throws IOException {
        if (pos == lim && !fill()) return -1;
        return buf[pos++] & 0xFF;
    }

    /** Refills buf once pos == lim; false at the end of the file. */
    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) return false;
        bufStart += lim;
        pos = 0;
        lim = n;
        return true;
    }

    private long offset() {
        return bufStart + pos;
    }

    private IllegalArgumentException truncated(String where) {
        return malformed("a complete gzip stream", "a truncated one (it ends " + where + ", at byte " + offset() + ")");
    }

    private IllegalArgumentException malformed(String expected, String found) {
        return Idx.malformed(file, expected, found);
    }
}
