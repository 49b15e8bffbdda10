/**
 * The fused ops composed from the primitive families (PyTorch's CompositeImplicitAutograd): what runs
 * where a backend does not list the op in {@link dev.myelin.backend.Backend#fused()}.
 */
package dev.myelin.ops.composite;
