/**
 * Reverse-mode automatic differentiation: the graph of backward nodes, grad mode, anomaly
 * detection and numerical gradient checks.
 */
package dev.myelin.autograd;
