package dev.myelin.data;

import dev.myelin.Tensor;

/**
 * One item of a {@link Dataset}: its features (any shape, usually float32) and its class label.
 * The caller owns {@code features} and may close it.
 */
public record Example(Tensor features, long label) {
}
