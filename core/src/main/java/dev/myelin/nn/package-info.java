/**
 * Layers as {@link dev.myelin.nn.Module}s (torch.nn): linear, convolution, normalization, pooling,
 * dropout, activations, containers and initialization.
 */
package dev.myelin.nn;
