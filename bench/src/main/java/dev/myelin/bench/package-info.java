/**
 * The benchmark harness behind {@code ./myelin bench}: reference workloads, op surveys, GEMM rates
 * and the machine's FMA peak.
 */
package dev.myelin.bench;
