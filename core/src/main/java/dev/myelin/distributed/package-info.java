/**
 * Data-parallel training across processes: process groups, their transports' SPI, the launcher's view,
 * DistributedDataParallel and the differentiable collectives SyncBatchNorm builds on.
 */
package dev.myelin.distributed;
