package dev.myelin.distributed;

import java.util.Map;

/**
 * This process's place in a job, as its launcher told it through the environment: mpirun (Open MPI's
 * {@code OMPI_COMM_WORLD_*}), MPICH's Hydra or another PMI launcher ({@code PMI_*}), Slurm's srun
 * ({@code SLURM_*}). A process started without a launcher is rank 0 of a world of one.
 *
 * @param launcher which launcher set the variables: "mpirun", "pmi", "slurm", or "none"
 */
public record LaunchEnvironment(int rank, int worldSize, int localRank, String launcher) {
    public LaunchEnvironment {
        if (worldSize < 1 || rank < 0 || rank >= worldSize || localRank < 0) {
            throw new IllegalArgumentException("LaunchEnvironment: rank " + rank + ", local rank " + localRank
                    + " and world size " + worldSize + " are inconsistent (launcher " + launcher + ")");
        }
    }

    public static final LaunchEnvironment SINGLE = new LaunchEnvironment(0, 1, 0, "none");

    /** Whether a launcher started this process as part of a job (even a job of one). */
    public boolean launched() {
        return !launcher.equals("none");
    }

    /** Reads this process's environment. */
    public static LaunchEnvironment current() {
        return of(System.getenv());
    }

    /** Reads the given environment; the first launcher whose variables are all there wins. */
    public static LaunchEnvironment of(Map<String, String> env) {
        LaunchEnvironment found = read(env, "mpirun", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE",
                "OMPI_COMM_WORLD_LOCAL_RANK");
        if (found == null) found = read(env, "pmi", "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID");
        if (found == null) found = read(env, "slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID");
        return found == null ? SINGLE : found;
    }

    private static LaunchEnvironment read(Map<String, String> env, String launcher, String rankVar, String sizeVar,
            String localRankVar) {
        String rank = env.get(rankVar);
        String size = env.get(sizeVar);
        if (rank == null || size == null) return null;
        String localRank = env.getOrDefault(localRankVar, rank);
        try {
            return new LaunchEnvironment(Integer.parseInt(rank.trim()), Integer.parseInt(size.trim()),
                    Integer.parseInt(localRank.trim()), launcher);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("distributed: the launcher variables " + rankVar + "=" + rank + ", "
                    + sizeVar + "=" + size + ", " + localRankVar + "=" + localRank + " are not numbers", e);
        }
    }
}
