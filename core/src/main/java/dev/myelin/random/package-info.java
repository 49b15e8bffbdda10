/** Random numbers: the Philox counter-based generator that initial weights, dropout masks and shuffling draw from. */
package dev.myelin.random;
