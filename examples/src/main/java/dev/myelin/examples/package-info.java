/**
 * Runnable examples: MLP and CNN on Fashion-MNIST, distillation, optimizer comparison, a memory
 * check and the quick start.
 */
package dev.myelin.examples;
