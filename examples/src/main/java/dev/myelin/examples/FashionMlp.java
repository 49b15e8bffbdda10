package dev.myelin.examples;

import dev.myelin.Myelin;
import dev.myelin.backend.Backends;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.nn.loss.Penalty;
import dev.myelin.nn.loss.RegularizedLoss;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.train.Criterion;
import dev.myelin.train.History;
import dev.myelin.train.Schedules;
import dev.myelin.train.Trainer;

/**
 * The main job: an MLP with batch norm and dropout on Fashion-MNIST, trained with cross-entropy
 * plus an L2 penalty on the weights, Nesterov SGD and a cosine learning-rate schedule.
 * <pre>./myelin example FashionMlp [--epochs 10] [--data DIR] [--out runs] [--seed 0] [--resume FILE]
 *     [--no-progress] [--distributed]</pre>
 * Writes runs/fashion-mlp.{csv,png,safetensors}; {@code --resume runs/fashion-mlp.safetensors} continues
 * that run up to {@code --epochs} (the run's own count finishes an interrupted run exactly as an
 * uninterrupted one: the cosine schedule is planned for it). {@code --distributed} trains it as one rank
 * of a data-parallel job: {@code ./myelin launch -n 2 FashionMlp --distributed} (see {@link DataParallel}).
 */
public final class FashionMlp {
    /** (l2 / 2) * sum w^2: the same penalty as PyTorch's 1e-4 * sum w^2 in the reference script. */
    static final double L2 = 2e-4;

    public static void main(String[] args) {
        ExampleArgs a = ExampleArgs.parseOrExit("FashionMlp", args, 10, 128, "runs", true);
        try (DataParallel parallel = DataParallel.of(a)) {
            train(a, parallel);
        }
    }

    private static void train(ExampleArgs a, DataParallel parallel) {
        Myelin.manualSeed(a.seed());
        FashionMnist data = FashionMnist.load(a.data(), a.limit());
        Sequential mlp = Models.mlp();
        if (parallel.leads()) {
            System.out.println(data.describe() + "; backend " + Backends.getDefault().name());
            System.out.print(mlp.summary());
        }
        Module model = parallel.wrap(mlp);
        var optimizer = SGD.with().lr(0.05).momentum(0.9).nesterov(true).build(model.parameters());
        var loss = new RegularizedLoss(new CrossEntropyLoss(), Penalty.l2(L2, Penalty.weightsOf(model)));
        Trainer trainer = Trainer.builder(model, optimizer, Criterion.of(loss))
                .epochs(a.epochs())
                .schedule(Schedules.perEpoch(new CosineAnnealingLR(optimizer, a.epochs(), 0)))
                .progressBar(a.progress())
                .outputDir(a.out(), "fashion-mlp")
                .build();
        a.resume("FashionMlp", trainer);
        History h = trainer.fit(parallel.trainLoader(data.train(), a.batchSize(), a.seed()),
                parallel.testLoader(data.test(), 1000));
        if (parallel.leads()) {
            System.out.printf("test accuracy %.2f%% after %d epochs%n", 100 * h.last().valAccuracy(), h.size());
        }
    }
}
