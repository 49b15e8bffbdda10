/**
 * The pure-Java CPU backend: one class per kernel family, vectorized with jdk.incubator.vector and
 * run on a thread pool.
 */
package dev.myelin.cpu;
