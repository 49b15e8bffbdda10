"""Starts the ranks of a PyTorch data-parallel job on this machine, as torch.distributed.run would: Debian's
torch.distributed.run (1.13 on Python 3.11) fails in its elastic agent before starting a worker."""
import os
import subprocess
import sys


def spawn(script, nproc, threads, port, argv):
    """Runs `script argv` once per rank with torch.distributed's environment (RANK, WORLD_SIZE, MASTER_ADDR,
    MASTER_PORT; gloo on the loopback interface, `threads` OpenMP threads each); exits non-zero if any rank fails."""
    ranks = []
    for rank in range(nproc):
        env = dict(os.environ, RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE=str(nproc),
                   MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), OMP_NUM_THREADS=str(threads),
                   GLOO_SOCKET_IFNAME="lo")
        ranks.append(subprocess.Popen([sys.executable, os.path.abspath(script)] + argv, env=env))
    codes = [r.wait() for r in ranks]
    if any(codes):
        sys.exit(f"{os.path.basename(script)}: exit codes {codes}")
