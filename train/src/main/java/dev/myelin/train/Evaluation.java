package dev.myelin.train;

/** Mean loss and accuracy over a dataset (accuracy NaN when outputs are not class scores). */
public record Evaluation(double loss, double accuracy, long samples) {
}
