package dev.myelin.cuda.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code .entry} points of a PTX module and their parameter types, as letters of {@link KernelSpec}. */
public final class PtxEntries {
    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    /** ".param [.align N] .type [.ptr ...] name[[N]]": the type and the array size. */
    private static final Pattern PARAM =
            Pattern.compile("^\\.param\\s+(?:\\.align\\s+\\d+\\s+)?(\\.\\w+)\\b.*?\\w+(?:\\[(\\d+)\\])?$");

    private PtxEntries() {}

    /**
     * Entry name to parameter descriptions: {@code u32}, {@code u64}, {@code f32}, {@code f64}, or
     * {@code b8[N]} for a struct of N bytes.
     */
    public static Map<String, List<String>> parse(String ptx) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(ptx);
        while (e.find()) {
            List<String> params = new ArrayList<>();
            for (String decl : e.group(2).split(",")) {
                if (decl.isBlank()) continue;
                Matcher p = PARAM.matcher(decl.trim());
                if (!p.find()) throw new IllegalStateException("unparsed PTX parameter of " + e.group(1) + ": " + decl);
                String type = p.group(1).substring(1);
                params.add(p.group(2) == null ? type : type + "[" + p.group(2) + "]");
            }
            out.put(e.group(1), params);
        }
        return out;
    }

    /** The PTX parameter description a {@link KernelSpec} letter stands for. */
    public static String ptxType(char letter) {
        return switch (letter) {
            case 'p', 'l' -> "u64";
            case 'i' -> "u32";
            case 'f' -> "f32";
            case 'd' -> "f64";
            case 'G', 'D', 'C' -> "b8[" + KernelStructs.words(letter) * 8 + "]";
            default -> throw new IllegalArgumentException("no parameter letter '" + letter + "'");
        };
    }
}
