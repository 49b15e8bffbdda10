/**
 * The op contract a device implements (one interface per kernel family), storages, the fused-op
 * list, backend discovery and the debug trace.
 */
package dev.myelin.backend;
