/** Data-parallel training across processes: process groups, their transports' SPI, and the launcher's view. */
package dev.myelin.distributed;
