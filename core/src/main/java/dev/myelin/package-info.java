/**
 * Tensors and what every user touches first: {@link dev.myelin.Tensor}, dtypes, shapes, devices,
 * memory scopes and the {@link dev.myelin.Myelin} entry point.
 */
package dev.myelin;
