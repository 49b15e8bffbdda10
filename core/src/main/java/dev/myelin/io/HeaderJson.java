package dev.myelin.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON subset of a safetensors header: objects, strings, arrays and non-negative
 * integers. Objects parse to LinkedHashMap (keys in file order), arrays to List, integers to Long.
 * Nesting is bounded by {@link #MAX_DEPTH} so that a hostile header fails like any malformed
 * one instead of overflowing the stack of this recursive parser; the caller bounds the size.
 */
final class HeaderJson {
    /** Objects and arrays nest at most this deep (a valid safetensors header needs 3). */
    static final int MAX_DEPTH = 64;

    private final String text;
    private final String file;
    private int pos;
    private int depth;

    private HeaderJson(String text, String file) {
        this.text = text;
        this.file = file;
    }

    /** Parses a header that must be exactly one JSON object (trailing spaces allowed, as padding). */
    static Map<String, Object> parse(String text, String file) {
        HeaderJson p = new HeaderJson(text, file);
        p.skipSpace();
        if (p.peek() != '{') throw p.error("'{' at the start of the header");
        Map<String, Object> result = p.object();
        p.skipSpace();
        if (p.pos != text.length()) throw p.error("the end of the header after the top-level object");
        return result;
    }

    private Map<String, Object> object() {
        enter();
        expect('{');
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.put(key, value()) != null) throw error("no duplicate key \"" + key + "\"");
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                depth--;
                return map;
            }
        }
    }

    private List<Object> array() {
        enter();
        expect('[');
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                depth--;
                return list;
            }
        }
    }

    private Object value() {
        char c = peek();
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (c >= '0' && c <= '9') return integer();
        throw error("an object, array, string or non-negative integer");
    }

    private Long integer() {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) pos++;
        if (pos - start > 1 && text.charAt(start) == '0') throw error("an integer without leading zeros");
        try {
            return Long.parseLong(text, start, pos, 10);
        } catch (NumberFormatException e) {
            throw error("an integer that fits in 64 bits");
        }
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("a closing '\"'");
            char c = text.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c < 0x20) throw error("no control character inside a string");
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("an escape character");
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("4 hex digits after \\u");
                    try {
                        sb.append((char) Integer.parseInt(text, pos, pos + 4, 16));
                    } catch (NumberFormatException ex) {
                        throw error("4 hex digits after \\u");
                    }
                    pos += 4;
                }
                default -> throw error("a valid escape, not \\" + e);
            }
        }
    }

    /** Counts one more level of nesting at the '{' or '[' at pos. */
    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("safetensors: " + file + ": malformed header JSON at character " + pos
                    + ": objects and arrays nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) throw error("'" + c + "'");
        pos++;
    }

    private IllegalArgumentException error(String expected) {
        String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end of the header";
        return new IllegalArgumentException("safetensors: " + file + ": malformed header JSON at character " + pos
                + ": expected " + expected + ", found " + found);
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
