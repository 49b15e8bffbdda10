package dev.myelin.train;

import java.util.Locale;

/**
 * One epoch of training: mean training loss and accuracy over its batches (measured on the fly,
 * in training mode), validation loss and accuracy in eval mode (NaN without validation data), the
 * learning rate of the first parameter group during the epoch, wall time and throughput.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
        double lr, double seconds, double samplesPerSecond) {

    static final String CSV_HEADER = "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,samples_per_s";

    String toCsv() {
        return String.format(Locale.ROOT, "%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.6f,%.3f", epoch, trainLoss, trainAccuracy,
                valLoss, valAccuracy, lr, seconds, samplesPerSecond);
    }

    static EpochMetrics fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 8) throw new IllegalArgumentException("history: expected 8 fields, got \"" + line + "\"");
        return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]));
    }

    /** A one-line report, e.g. for the console. */
    public String describe(int epochs) {
        String val = Double.isNaN(valLoss) ? ""
                : String.format(Locale.ROOT, "  val loss %.4f  val acc %.2f%%", valLoss, 100 * valAccuracy);
        return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  acc %.2f%%%s  lr %.3g  %.1f s  %.0f samples/s",
                epoch, epochs, trainLoss, 100 * trainAccuracy, val, lr, seconds, samplesPerSecond);
    }
}
