package dev.myelin.train;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
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
 * uninterrupted run. A non-finite loss stops training before the optimizer step, so the
 * parameters keep their last finite values.
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
    private History history = new History();

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
    }

    public static Builder builder(Module model, Optimizer optimizer, Criterion criterion) {
        return new Builder(model, optimizer, criterion);
    }

    /**
     * Trains until the configured number of epochs (counting those a resumed checkpoint already
     * holds) or until early stopping. {@code validation} may be null.
     */
    public History fit(DataLoader train, DataLoader validation) {
        for (int epoch = history.size() + 1; epoch <= epochs; epoch++) {
            EpochMetrics m = runEpoch(train, validation, epoch);
            history.add(m);
            if (log != null) log.println(m.describe(epochs));
            if (schedule != null) schedule.afterEpoch(m);
            boolean stop = earlyStopping != null && earlyStopping.update(m);
            writeOutputs();
            if (stop) {
                if (log != null) log.println("early stopping after epoch " + epoch + ": best " + earlyStopping.best());
                break;
            }
        }
        return history;
    }

    private EpochMetrics runEpoch(DataLoader train, DataLoader validation, int epoch) {
        double lr = optimizer.paramGroups().getFirst().lr();
        long start = System.nanoTime();
        RunningMetrics metrics = new RunningMetrics();
        model.train();
        train.setEpoch(epoch - 1);
        List<Tensor> params = model.parameters();
        try (Progress progress = Progress.start(progressBar, epoch, epochs, train.numBatches());
             DataLoader.BatchIterator batches = train.iterator()) {
            int index = 0;
            while (batches.hasNext()) {
                try (Batch batch = batches.next(); MemoryScope ignored = MemoryScope.open()) {
                    Tensor output = model.forward(batch.x());
                    Tensor loss = criterion.loss(output, batch);
                    double value = loss.item();
                    if (!Double.isFinite(value)) {
                        throw new IllegalStateException("trainer: loss became " + value + " at epoch " + epoch + ", batch " + index
                                + "; stopped before the optimizer step, parameters keep their last finite values");
                    }
                    optimizer.zeroGrad();
                    loss.backward();
                    if (clipGradNorm > 0) GradClip.clipGradNorm(params, clipGradNorm);
                    optimizer.step();
                    if (schedule != null) schedule.afterBatch();
                    metrics.add(value, output, batch.y(), batch.size());
                    progress.step(metrics.meanLoss(), metrics.accuracy());
                }
                index++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Evaluation val = validation == null ? new Evaluation(Double.NaN, Double.NaN, 0) : evaluate(validation);
        return new EpochMetrics(epoch, metrics.meanLoss(), metrics.accuracy(), val.loss(), val.accuracy(), lr, seconds,
                metrics.samples() / seconds);
    }

    /** Mean loss and accuracy over {@code data} in eval mode without gradients; the model's mode is restored. */
    public Evaluation evaluate(DataLoader data) {
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
        return new Evaluation(metrics.meanLoss(), metrics.accuracy(), metrics.samples());
    }

    private void writeOutputs() {
        if (outputDir == null) return;
        try {
            Files.createDirectories(outputDir);
            Curves.writeCsv(history, outputDir.resolve(runName + ".csv"));
            Curves.writePng(history, runName, outputDir.resolve(runName + ".png"));
            saveCheckpoint(checkpointFile());
        } catch (IOException e) {
            throw new UncheckedIOException("trainer: could not write outputs to " + outputDir, e);
        }
    }

    /** Where each epoch's checkpoint goes: {@code <outputDir>/<runName>.safetensors}; null without an output directory. */
    public Path checkpointFile() {
        return outputDir == null ? null : outputDir.resolve(runName + ".safetensors");
    }

    /** Saves everything needed to resume, atomically: a crash mid-save leaves the previous file intact. */
    public void saveCheckpoint(Path file) throws IOException {
        TrainingCheckpoint.save(file, model, optimizer, schedule, earlyStopping, history);
    }

    /** Loads a checkpoint written by {@link #saveCheckpoint}; the next {@link #fit} continues after its last epoch. */
    public void resume(Path file) throws IOException {
        history = TrainingCheckpoint.load(file, model, optimizer, schedule, earlyStopping);
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

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
