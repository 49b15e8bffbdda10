package dev.myelin.examples;

import dev.myelin.Myelin;
import dev.myelin.backend.Backends;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Adam;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.train.Criterion;
import dev.myelin.train.History;
import dev.myelin.train.Schedules;
import dev.myelin.train.Trainer;

/**
 * A small CNN on Fashion-MNIST: two conv-BN-ReLU-pool blocks, dropout and a linear head, Adam
 * with a cosine schedule.
 * <pre>./myelin example FashionCnn [--epochs 5] [--data DIR] [--out runs] [--seed 0] [--resume FILE]
 *     [--no-progress]</pre>
 * Writes runs/fashion-cnn.{csv,png,safetensors}; {@code --resume runs/fashion-cnn.safetensors} continues
 * that run up to {@code --epochs}. The distillation example uses it as its teacher.
 */
public final class FashionCnn {
    public static void main(String[] args) {
        ExampleArgs a = ExampleArgs.parseOrExit("FashionCnn", args, 5, 128, "runs", true);
        Myelin.manualSeed(a.seed());
        FashionMnist data = FashionMnist.load(a.data(), a.limit());
        System.out.println(data.describe() + "; backend " + Backends.getDefault().name());
        Sequential model = Models.cnn();
        System.out.print(model.summary());
        History h = train(model, data, a, "fashion-cnn");
        System.out.printf("test accuracy %.2f%% after %d epochs%n", 100 * h.last().valAccuracy(), h.size());
    }

    /**
     * Trains {@code model} with the CNN recipe, resuming from {@code a.resume()} if set; also the distillation
     * example's teacher.
     */
    static History train(Sequential model, FashionMnist data, ExampleArgs a, String runName) {
        var optimizer = Adam.with().lr(1e-3).build(model.parameters());
        Trainer trainer = Trainer.builder(model, optimizer, Criterion.of(new CrossEntropyLoss()))
                .epochs(a.epochs())
                .schedule(Schedules.perEpoch(new CosineAnnealingLR(optimizer, a.epochs(), 0)))
                .progressBar(a.progress())
                .outputDir(a.out(), runName)
                .build();
        a.resume("FashionCnn", trainer);
        return trainer.fit(new DataLoader(data.train(), a.batchSize(),
                DataLoader.options().shuffle(true).seed(a.seed())), new DataLoader(data.test(), 1000));
    }
}
