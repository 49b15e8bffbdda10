package dev.myelin.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared by the schedules' state dicts: the kind check, and composite schedules' parts saved under {@code "<index>."}. */
final class SchedulerStates {
    private SchedulerStates() {
    }

    static void save(List<LRScheduler> parts, Map<String, String> into) {
        for (int i = 0; i < parts.size(); i++) {
            String prefix = i + ".";
            parts.get(i).stateDict().forEach((k, v) -> into.put(prefix + k, v));
        }
    }

    static void load(List<LRScheduler> parts, Map<String, String> state) {
        for (int i = 0; i < parts.size(); i++) {
            String prefix = i + ".";
            Map<String, String> part = new LinkedHashMap<>();
            state.forEach((k, v) -> {
                if (k.startsWith(prefix)) part.put(k.substring(prefix.length()), v);
            });
            parts.get(i).loadStateDict(part);
        }
    }

    /** IllegalArgumentException unless {@code state} was saved by the schedule {@code name}. */
    static void requireKind(String name, Map<String, String> state) {
        if (!name.equals(state.get("scheduler"))) {
            throw new IllegalArgumentException(name + ".loadStateDict: state was saved by " + state.get("scheduler"));
        }
    }
}
