package dev.myelin.train;

import dev.myelin.MemoryScope;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
import dev.myelin.data.DistributedSampler;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.nn.Module;
import dev.myelin.optim.GradClip;
import dev.myelin.optim.Optimizer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fit loop: for each epoch, a training pass with a progress bar (each step in its own
 * {@link MemoryScope}, so memory stays flat), validation in eval mode under no-grad, the
 * learning-rate schedule, per-epoch metrics on the console, training curves (CSV and PNG), a
 * checkpoint, and early stopping.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, optimizer, Criterion.of(new CrossEntropyLoss()))
 *         .epochs(10).outputDir(Path.of("runs/mlp")).build();
 * History history = trainer.fit(trainLoader, testLoader);
 * }</pre>
 *
 * A checkpoint holds the model, optimizer, schedule, early-stopping state, the random generator's
 * position and the history; {@link #resume} continues from it with the same loss trajectory as an
 * uninterrupted run, or refuses it without changing anything.
 *
 * <p>Non-finite values stop training with an IllegalStateException that says which. Each step
 * reads the loss together with one check of every parameter and gradient the optimizer updates
 * (a single transfer to the host, see {@link FiniteCheck}): a non-finite loss or gradient stops
 * before the optimizer step, so the parameters keep their last values, which are finite; a step
 * that turned finite gradients into non-finite parameters (a learning rate too large) is named
 * with the parameters it broke, which then hold those values. Empty data loaders are refused
 * before the first epoch, as are early stopping and plateau schedules without validation data.
 *
 * <p>In a data-parallel job (a process group of more than one rank: {@link Builder#processGroup}, or the
 * one {@link Distributed#initProcessGroup()} joined), every rank runs the same loop on its own share of
 * the data (a {@link DistributedSampler}; the trainer sets its epoch through {@link DataLoader#setEpoch})
 * and its own validation share. The epoch's metrics are summed over the ranks, weighted by their sample
 * counts, so that every rank holds the metrics of the union of the shards, and the schedule and early
 * stopping decide the same on every rank. Only rank 0 prints (the progress bar, the epoch lines) and
 * writes the curves and the checkpoint; the other ranks wait for it at a barrier after each write, so
 * none runs ahead of a checkpoint. A checkpoint holds no per-rank state: {@link #resume} reads it at any
 * world size, and the sampler reshards the next epoch's order. Gradients are not this class's business:
 * wrap the model in {@code DistributedDataParallel}.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final Criterion criterion;
    private final int epochs;
    private final Schedule schedule;
    private final EarlyStopping earlyStopping;
    private final double clipGradNorm;
    private final Path outputDir;
    private final String runName;
    private final boolean progressBar;
    private final PrintStream log;
    /** The group given to the builder, or null to use {@link Distributed}'s when one was joined. */
    private final ProcessGroup processGroup;
    private History history = new History();
    /** "epoch e, batch b (loss l)" of the last optimizer step of this fit; null before the first. */
    private String lastStep;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.criterion = b.criterion;
        this.epochs = b.epochs;
        this.schedule = b.schedule;
        this.earlyStopping = b.earlyStopping;
        this.clipGradNorm = b.clipGradNorm;
        this.outputDir = b.outputDir;
        this.runName = b.runName;
        this.progressBar = b.progressBar;
        this.log = b.log;
        this.processGroup = b.processGroup;
    }

    public static Builder builder(Module model, Optimizer optimizer, Criterion criterion) {
        return new Builder(model, optimizer, criterion);
    }

    /**
     * Trains until the configured number of epochs (counting those a resumed checkpoint already
     * holds) or until early stopping. {@code validation} may be null. A finished run (see
     * {@link #isFinished()}) is not trained again: fit says so on the log and returns the history.
     *
     * @throws IllegalArgumentException when a loader yields no batches, or when early stopping or
     *                                  the schedule needs validation data and there is none
     * @throws IllegalStateException    when a loss, gradient or parameter becomes NaN or infinite
     */
    public History fit(DataLoader train, DataLoader validation) {
        ProcessGroup group = group();
        PrintStream out = leads(group) ? log : null;
        requireBatches("trainer.fit: the training DataLoader", train);
        requireShard("trainer.fit: the training DataLoader", train, group);
        if (validation != null) {
            requireBatches("trainer.fit: the validation DataLoader", validation);
            requireShard("trainer.fit: the validation DataLoader", validation, group);
        } else if (earlyStopping != null) {
            throw new IllegalArgumentException("trainer.fit: early stopping monitors " + earlyStopping.monitor()
                    + " but fit got no validation data");
        } else if (schedule != null && schedule.needsValidation()) {
            throw new IllegalArgumentException("trainer.fit: the schedule steps on the validation loss but fit got no "
                    + "validation data");
        }
        if (isFinished()) {
            if (out != null) out.println("nothing to train: the run is finished (" + finishedReason() + ")");
            return history;
        }
        FiniteCheck check = new FiniteCheck(model, optimizer);
        lastStep = null;
        for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
            EpochMetrics m = runEpoch(train, validation, epoch, check, group);
            history.add(m);
            if (out != null) out.println(m.describe(epochs));
            if (schedule != null) schedule.afterEpoch(m);
            boolean stop = earlyStopping != null && earlyStopping.update(m);
            writeOutputs(group);
            if (stop) {
                if (out != null) out.println("early stopping after epoch " + epoch + ": best " + earlyStopping.best());
                break;
            }
        }
        return history;
    }

    /**
     * True when there is nothing left to train: the history holds all the configured epochs, or
     * early stopping ended the run (also when both came from a resumed checkpoint).
     */
    public boolean isFinished() {
        return history.size() >= epochs || (earlyStopping != null && earlyStopping.stopped());
    }

    private String finishedReason() {
        if (history.size() >= epochs) return "all " + epochs + " epochs done";
        return "early stopping ended it after epoch " + history.size() + ", best " + earlyStopping.best();
    }

    private static void requireBatches(String what, DataLoader loader) {
        if (loader.numBatches() == 0) {
            throw new IllegalArgumentException(what
                    + " is empty: it yields no batches (an empty dataset, or fewer samples than "
                    + "batch_size with drop_last)");
        }
    }

    /** The group of a data-parallel job, or null when this process trains alone (no group, or a world of one). */
    private ProcessGroup group() {
        ProcessGroup g = processGroup != null ? processGroup : Distributed.isInitialized() ? Distributed.group() : null;
        return g != null && g.worldSize() > 1 ? g : null;
    }

    /** Whether this process prints and writes: rank 0, or the only one. */
    private static boolean leads(ProcessGroup group) {
        return group == null || group.rank() == 0;
    }

    /** A DistributedSampler made for another rank or world size is a mistake that would silently skew the shards. */
    private static void requireShard(String what, DataLoader loader, ProcessGroup group) {
        if (group == null || !(loader.sampler() instanceof DistributedSampler s)) return;
        if (s.rank() != group.rank() || s.numReplicas() != group.worldSize()) {
            throw new IllegalArgumentException(what + "'s DistributedSampler is for rank " + s.rank() + " of "
                    + s.numReplicas() + ", but this process is rank " + group.rank() + " of " + group.worldSize());
        }
    }

    private EpochMetrics runEpoch(DataLoader train, DataLoader validation, int epoch, FiniteCheck check,
            ProcessGroup group) {
        double lr = optimizer.paramGroups().getFirst().lr();
        long start = System.nanoTime();
        RunningMetrics metrics = new RunningMetrics();
        model.train();
        train.setEpoch(epoch - 1);
        List<Tensor> params = model.parameters();
        try (Progress progress = Progress.start(progressBar && leads(group), epoch, epochs, train.numBatches());
             DataLoader.BatchIterator batches = train.iterator()) {
            int index = 0;
            while (batches.hasNext()) {
                try (Batch batch = batches.next(); MemoryScope ignored = MemoryScope.open()) {
                    Tensor output = model.forward(batch.x());
                    Tensor loss = criterion.loss(output, batch);
                    if (loss.numel() != 1) {
                        throw new IllegalArgumentException("trainer: the criterion must return one loss value, got "
                                + "shape " + Shape.str(loss.shape()));
                    }
                    optimizer.zeroGrad();
                    loss.backward();
                    if (clipGradNorm > 0) GradClip.clipGradNorm(params, clipGradNorm);
                    String here = "epoch " + epoch + ", batch " + index;
                    FiniteCheck.Reading reading = check.read(loss);
                    requireFinite(reading, here);
                    optimizer.step();
                    lastStep = here + " (loss " + reading.loss() + ")";
                    if (schedule != null) schedule.afterBatch();
                    metrics.add(reading.loss(), output, batch.y(), batch.size());
                    progress.step(metrics.meanLoss(), metrics.accuracy());
                }
                index++;
            }
        }
        // The epoch's last step has no next batch to check its result: check it before validation and the checkpoint.
        List<String> broken = check.nonFiniteParams();
        if (!broken.isEmpty()) throw new IllegalStateException(brokenByLastStep(broken));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (group != null) {
            metrics.reduce(group);
            // The epoch took as long as its slowest rank.
            seconds = group.allReduce(new double[] {seconds}, ReduceOp.MAX)[0];
        }
        Evaluation val = validation == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(validation, group);
        return new EpochMetrics(epoch, metrics.meanLoss(), metrics.accuracy(), val.loss(), val.accuracy(), lr, seconds,
                metrics.samples() / seconds);
    }

    /**
     * Stops before the step at {@code here} unless the parameters (as the last step left them), loss and gradients are
     * finite.
     */
    private void requireFinite(FiniteCheck.Reading r, String here) {
        if (!r.nonFiniteParams().isEmpty()) throw new IllegalStateException(brokenByLastStep(r.nonFiniteParams()));
        String kept = "; stopped before the optimizer step, so the parameters keep their last values, which are all "
                + "finite";
        if (!Double.isFinite(r.loss())) {
            throw new IllegalStateException("trainer: loss became " + r.loss() + " at " + here + kept);
        }
        List<String> grads = r.nonFiniteGrads();
        if (!grads.isEmpty()) {
            String others = grads.size() == 1 ? ""
                    : "; " + grads.size() + " parameters have non-finite gradients: " + FiniteCheck.list(grads);
            throw new IllegalStateException("trainer: the gradient of \"" + grads.getFirst()
                    + "\" is not finite (NaN or infinite) at " + here + " (loss " + r.loss() + others + ")" + kept);
        }
    }

    /** The message for parameters found non-finite after {@link #lastStep} (checked finite before it). */
    private String brokenByLastStep(List<String> names) {
        String which = (names.size() == 1 ? "parameter " : names.size() + " parameters ") + FiniteCheck.list(names);
        if (lastStep == null) {
            return "trainer: " + which + (names.size() == 1 ? " was" : " were")
                    + " already not finite (NaN or infinite) when fit started; stopped before the first step";
        }
        return "trainer: the optimizer step of " + lastStep + ", taken with finite gradients, made " + which
                + " not finite (NaN or infinite); training stopped and they hold those values (a smaller learning "
                + "rate, or clipGradNorm, may help)";
    }

    /**
     * Mean loss and accuracy over {@code data} in eval mode without gradients; the model's mode is
     * restored. IllegalArgumentException when {@code data} yields no batches. In a data-parallel job it
     * is a collective: every rank evaluates its own {@code data}, and each gets the mean over all of them.
     */
    public Evaluation evaluate(DataLoader data) {
        return evaluate(data, group());
    }

    private Evaluation evaluate(DataLoader data, ProcessGroup group) {
        requireBatches("trainer.evaluate: the DataLoader", data);
        boolean wasTraining = model.isTraining();
        model.eval();
        RunningMetrics metrics = new RunningMetrics();
        try (var ignored = GradMode.noGrad(); DataLoader.BatchIterator batches = data.iterator()) {
            while (batches.hasNext()) {
                try (Batch batch = batches.next(); MemoryScope scope = MemoryScope.open()) {
                    Tensor output = model.forward(batch.x());
                    metrics.add(criterion.loss(output, batch).item(), output, batch.y(), batch.size());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        if (group != null) metrics.reduce(group);
        return new Evaluation(metrics.meanLoss(), metrics.accuracy(), metrics.samples());
    }

    /** Rank 0 writes; every rank then waits at a barrier so that none runs ahead of the checkpoint. */
    private void writeOutputs(ProcessGroup group) {
        if (outputDir == null) return;
        if (leads(group)) writeFiles();
        if (group != null) group.barrier();
    }

    private void writeFiles() {
        try {
            Files.createDirectories(outputDir);
            Curves.writeCsv(history, outputDir.resolve(runName + ".csv"));
            Curves.writePng(history, runName, outputDir.resolve(runName + ".png"));
            saveCheckpoint(checkpointFile());
        } catch (IOException e) {
            throw new UncheckedIOException("trainer: could not write outputs to " + outputDir, e);
        }
    }

    /**
     * Where each epoch's checkpoint goes: {@code <outputDir>/<runName>.safetensors}; null without an output directory.
     */
    public Path checkpointFile() {
        return outputDir == null ? null : outputDir.resolve(runName + ".safetensors");
    }

    /** Saves everything needed to resume, atomically: a crash mid-save leaves the previous file intact. */
    public void saveCheckpoint(Path file) throws IOException {
        TrainingCheckpoint.save(file, model, optimizer, schedule, earlyStopping, history);
    }

    /**
     * Loads a checkpoint written by {@link #saveCheckpoint}; the next {@link #fit} continues after
     * its last epoch. All or nothing: an IllegalArgumentException (the model's keys or shapes, the
     * optimizer's type or state, a schedule or early stopping on one side only, more epochs than
     * this trainer is configured for) leaves the model, optimizer, schedule, early stopping,
     * generator and history as they were. Says on the log where training continues, or that the
     * checkpoint holds a finished run ({@link #isFinished()}). The checkpoint holds nothing per rank:
     * every rank of a job at any world size resumes from the same file (on a shared file system, or copied).
     */
    public void resume(Path file) throws IOException {
        history = TrainingCheckpoint.load(file, model, optimizer, schedule, earlyStopping, epochs);
        if (log == null || !leads(group())) return;
        if (isFinished()) log.println(file + " holds a finished run (" + finishedReason()
                + "); fit has nothing to train");
        else log.println("resumed from " + file + " after epoch " + history.size() + " of " + epochs);
    }

    public History history() {
        return history;
    }

    /** Options of a {@link Trainer}; only the model, optimizer and criterion are required. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final Criterion criterion;
        private int epochs = 1;
        private Schedule schedule;
        private EarlyStopping earlyStopping;
        private double clipGradNorm;
        private Path outputDir;
        private String runName = "run";
        private boolean progressBar = true;
        private PrintStream log = System.out;
        private ProcessGroup processGroup;

        private Builder(Module model, Optimizer optimizer, Criterion criterion) {
            this.model = model;
            this.optimizer = optimizer;
            this.criterion = criterion;
        }

        public Builder epochs(int epochs) {
            if (epochs < 1) throw new IllegalArgumentException("trainer: epochs must be >= 1, got " + epochs);
            this.epochs = epochs;
            return this;
        }

        /** A learning-rate schedule stepped after every epoch or every batch (see {@link Schedule}). */
        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /** Clips the gradients' joint 2-norm to {@code maxNorm} before each step (0 = off). */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm >= 0)) throw new IllegalArgumentException("trainer: clip norm must be >= 0, got " + maxNorm);
            this.clipGradNorm = maxNorm;
            return this;
        }

        /** Writes {@code <name>.csv}, {@code <name>.png} and {@code <name>.safetensors} there after every epoch. */
        public Builder outputDir(Path dir, String name) {
            this.outputDir = dir;
            this.runName = name;
            return this;
        }

        public Builder progressBar(boolean enabled) {
            this.progressBar = enabled;
            return this;
        }

        /** Where the per-epoch lines go (System.out by default); null for silence. */
        public Builder log(PrintStream log) {
            this.log = log;
            return this;
        }

        /**
         * The data-parallel job this trainer is one rank of (see {@link Trainer}); without it, the group
         * {@link Distributed#initProcessGroup()} joined, if any. A world of one trains as a single process.
         */
        public Builder processGroup(ProcessGroup group) {
            if (group == null) {
                throw new IllegalArgumentException("trainer: processGroup is null; leave it out to use the group "
                        + "Distributed.initProcessGroup() joined");
            }
            this.processGroup = group;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
