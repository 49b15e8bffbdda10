/** Datasets and the mini-batch {@link dev.myelin.data.DataLoader}, with readers for IDX / MNIST-style files. */
package dev.myelin.data;
