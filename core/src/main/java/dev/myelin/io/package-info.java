/** Saving and loading weights and training state: safetensors files and checkpoints, written atomically. */
package dev.myelin.io;
