package dev.myelin.optim.lr;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading schedulers' state dicts back, with errors that name the scheduler and the key. */
final class StateDicts {
    private StateDicts() {
    }

    static String require(String scheduler, Map<String, String> state, String key) {
        String v = state.get(key);
        if (v == null) {
            throw new IllegalArgumentException(scheduler + ".loadStateDict: saved state has no \"" + key + "\"");
        }
        return v;
    }

    static void checkName(String scheduler, Map<String, String> state) {
        String saved = require(scheduler, state, "scheduler");
        if (!saved.equals(scheduler)) {
            throw new IllegalArgumentException(scheduler + ".loadStateDict: state was saved by " + saved + ", not "
                    + scheduler);
        }
    }

    static int integer(String scheduler, Map<String, String> state, String key) {
        String v = require(scheduler, state, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(scheduler + ".loadStateDict: \"" + key + "\" is not an integer: "
                    + v, e);
        }
    }

    static double number(String scheduler, Map<String, String> state, String key) {
        String v = require(scheduler, state, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(scheduler + ".loadStateDict: \"" + key + "\" is not a number: " + v, e);
        }
    }

    /** {@code <key>.0 .. <key>.<groups-1>}; more saved groups than the optimizer has is an error. */
    static double[] perGroup(String scheduler, Map<String, String> state, String key, int groups) {
        if (state.containsKey(key + "." + groups)) {
            throw new IllegalArgumentException(scheduler + ".loadStateDict: saved state has more than " + groups
                    + " parameter groups (\"" + key + "." + groups + "\")");
        }
        double[] out = new double[groups];
        for (int i = 0; i < groups; i++) {
            out[i] = number(scheduler, state, key + "." + i);
            // These are learning rates: a NaN or an infinity would poison every later step.
            if (!Double.isFinite(out[i])) {
                throw new IllegalArgumentException(scheduler + ".loadStateDict: \"" + key + "." + i
                        + "\" must be a finite number, got " + out[i]);
            }
        }
        return out;
    }

    /** The entries under {@code prefix}, with the prefix removed (a wrapped scheduler's state). */
    static Map<String, String> under(Map<String, String> state, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}
