package dev.myelin.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;

/** The per-epoch terminal progress bar (me.tongfei:progressbar), or nothing when disabled. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress start(boolean enabled, int epoch, int epochs, int batches) {
        if (!enabled) return new Progress(null);
        return new Progress(new ProgressBarBuilder()
                .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .setUnit(" batches", 1)
                .continuousUpdate()
                .build());
    }

    void step(double meanLoss, double accuracy) {
        if (bar == null) return;
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f acc %.2f%%", meanLoss, 100 * accuracy));
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
