/** The NCCL transport: collectives on CUDA tensors through libnccl.so.2, on the CUDA backend's stream. */
package dev.myelin.distributed.nccl;
