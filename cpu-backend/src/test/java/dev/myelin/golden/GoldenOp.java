package dev.myelin.golden;

/** Runs the cases of one op through Myelin's public API. */
@FunctionalInterface
interface GoldenOp {
    GoldenOutputs run(GoldenCase c);
}
