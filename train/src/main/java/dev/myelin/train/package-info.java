/**
 * The training loop: {@link dev.myelin.train.Trainer}, evaluation, metrics, early stopping,
 * schedules and training checkpoints.
 */
package dev.myelin.train;
