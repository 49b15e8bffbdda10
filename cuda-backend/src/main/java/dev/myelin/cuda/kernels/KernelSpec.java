package dev.myelin.cuda.kernels;

import dev.myelin.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One kernel entry point of Myelin's PTX, as the launchers call it: its module ({@code <module>.ptx}
 * under {@code dev/myelin/cuda/ptx/}), its name, with {@code {t}} standing for the dtype suffix
 * ({@code f32}, {@code f64}, {@code i32}, {@code i64}) when the kernel comes in several dtypes, and
 * its parameters, one letter each:
 * <ul>
 *   <li>{@code p} a device pointer, {@code i} a 32-bit int, {@code l} a 64-bit int, {@code f} a float,
 *       {@code d} a double;</li>
 *   <li>{@code T} the dtype's own scalar ({@code f}, {@code d}, {@code i} or {@code l}); {@code S} the
 *       scalar of a binary op with a scalar ({@code f}, {@code d}, and {@code l} for both integer types);</li>
 *   <li>{@code G} a Geometry, {@code D} a Dims, {@code C} a ClassLayout, structs passed by value
 *       (see {@link KernelStructs}).</li>
 * </ul>
 * KernelEntryPointsTest checks every spec against the committed PTX; {@link KernelCall#checkAgainst}
 * checks every launch against its spec.
 *
 * <p>Internal: not part of the API.
 */
public record KernelSpec(String module, String pattern, Set<DType> dtypes, String params) {
    public KernelSpec {
        if (pattern.contains("{t}") == dtypes.isEmpty()) {
            throw new IllegalArgumentException("kernel spec " + pattern + ": a {t} pattern needs dtypes, and only it");
        }
    }

    /** A kernel without dtype variants. */
    static KernelSpec of(String module, String name, String params) {
        return new KernelSpec(module, name, Set.of(), params);
    }

    /** A kernel with one variant per dtype. */
    static KernelSpec of(String module, String pattern, Set<DType> dtypes, String params) {
        return new KernelSpec(module, pattern, dtypes, params);
    }

    /** The entry point's name for dtype (ignored, and may be null, for a kernel without variants). */
    public String name(DType dtype) {
        if (dtypes.isEmpty()) return pattern;
        if (!dtypes.contains(dtype)) {
            throw new IllegalArgumentException("cuda kernel " + pattern + " has no " + dtype + " variant (it has "
                    + dtypes + ")");
        }
        return pattern.replace("{t}", KernelDtypes.suffix(dtype));
    }

    /** The parameter letters for dtype, with T and S resolved (p, i, l, f, d, G, D, C). */
    public List<Character> signature(DType dtype) {
        List<Character> out = new ArrayList<>();
        for (String token : params.trim().split("\\s+")) {
            if (token.isEmpty()) continue;
            if (token.length() != 1) {
                throw new IllegalStateException("kernel spec " + pattern + ": bad parameter " + token);
            }
            char c = token.charAt(0);
            out.add(switch (c) {
                case 'T' -> KernelDtypes.scalarLetter(dtype);
                case 'S' -> dtype.isFloating() ? KernelDtypes.scalarLetter(dtype) : 'l';
                case 'p', 'i', 'l', 'f', 'd', 'G', 'D', 'C' -> c;
                default -> throw new IllegalStateException("kernel spec " + pattern + ": bad parameter " + token);
            });
        }
        return out;
    }

    /** Every (name, dtype) pair of this spec; dtype is null for a kernel without variants. */
    public List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        if (dtypes.isEmpty()) {
            out.add(new Variant(this, null));
        } else {
            for (DType d : DType.values()) if (dtypes.contains(d)) out.add(new Variant(this, d));
        }
        return out;
    }

    /** One entry point: a spec with its dtype resolved. */
    public record Variant(KernelSpec spec, DType dtype) {
        public String name() {
            return spec.name(dtype);
        }

        public List<Character> signature() {
            return spec.signature(dtype);
        }
    }
}
