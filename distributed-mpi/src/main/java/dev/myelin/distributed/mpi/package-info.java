/** The MPI transport: a process group over Open MPI's libmpi, bound through java.lang.foreign. */
package dev.myelin.distributed.mpi;
