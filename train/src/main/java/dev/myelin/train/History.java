package dev.myelin.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The metrics of every epoch so far, in order; as CSV for files and checkpoints. */
public final class History {
    private final List<EpochMetrics> epochs = new ArrayList<>();

    void add(EpochMetrics m) {
        epochs.add(m);
    }

    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The last epoch's metrics; IllegalStateException before the first epoch ends. */
    public EpochMetrics last() {
        if (epochs.isEmpty()) throw new IllegalStateException("history: no epoch has finished yet");
        return epochs.getLast();
    }

    public int size() {
        return epochs.size();
    }

    /** Header line then one line per epoch. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        for (EpochMetrics m : epochs) sb.append(m.toCsv()).append('\n');
        return sb.toString();
    }

    static History fromCsv(String csv) {
        History h = new History();
        String[] lines = csv.split("\n");
        if (!lines[0].equals(EpochMetrics.CSV_HEADER)) {
            throw new IllegalArgumentException("history: unexpected header \"" + lines[0] + "\"");
        }
        for (int i = 1; i < lines.length; i++) if (!lines[i].isBlank()) h.add(EpochMetrics.fromCsv(lines[i]));
        return h;
    }
}
