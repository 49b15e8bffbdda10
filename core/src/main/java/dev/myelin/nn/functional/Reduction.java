package dev.myelin.nn.functional;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction} argument. */
public enum Reduction {
    NONE, MEAN, SUM,
    /** Sum divided by the batch size (the first dimension); KL divergence's mathematically correct mean. */
    BATCHMEAN
}
