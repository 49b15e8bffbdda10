package dev.myelin.nn;

import dev.myelin.Tensor;

import java.util.Map;

/** Renders {@link Module#summary()}: one row per module, indented by depth, then totals. */
final class ModuleSummary {
    private ModuleSummary() {
    }

    static String of(Module root) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-24s %12s  %s%n", "Layer", "Params", "Type"));
        sb.append("-".repeat(78)).append('\n');
        row(sb, "(root)", root, 0);
        sb.append("-".repeat(78)).append('\n');
        long total = root.numParameters();
        long trainable = root.parameters().stream().filter(Tensor::requiresGrad).mapToLong(Tensor::numel).sum();
        sb.append(String.format("Total parameters: %,d (trainable %,d)%n", total, trainable));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, Module m, int depth) {
        long own = 0;
        for (Tensor p : m.ownParameters().values()) own += p.numel();
        String type = m.getClass().getSimpleName() + (m.description().isEmpty() ? "" : "(" + m.description() + ")");
        sb.append(String.format("%-24s %12s  %s%n", "  ".repeat(depth) + name, own == 0 ? "-"
                : String.format("%,d", own), type));
        for (Map.Entry<String, Module> c : m.namedChildren().entrySet()) row(sb, c.getKey(), c.getValue(), depth + 1);
    }
}
