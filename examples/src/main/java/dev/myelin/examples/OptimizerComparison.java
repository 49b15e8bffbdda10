package dev.myelin.examples;

import dev.myelin.Myelin;
import dev.myelin.backend.Backends;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Adagrad;
import dev.myelin.optim.Adam;
import dev.myelin.optim.AdamW;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.RMSprop;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.optim.lr.OneCycleLR;
import dev.myelin.train.Criterion;
import dev.myelin.train.Curves;
import dev.myelin.train.EpochMetrics;
import dev.myelin.train.History;
import dev.myelin.train.Schedule;
import dev.myelin.train.Schedules;
import dev.myelin.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Optimizers and schedules side by side: the same small MLP from the same initial weights, trained
 * with each, and one chart of their training loss and test accuracy per epoch
 * (runs/optimizer-comparison.png).
 * <pre>./myelin example OptimizerComparison [--epochs 5] [--data DIR] [--out runs] [--no-progress]</pre>
 */
public final class OptimizerComparison {
    /** One contender: a name, its optimizer over the parameters, and its schedule (or null). */
    private record Contender(String name, Function<Sequential, Optimizer> optimizer, ScheduleFactory schedule) {
    }

    private interface ScheduleFactory {
        Schedule create(Optimizer opt, int epochs, int batchesPerEpoch);
    }

    private static List<Contender> contenders() {
        return List.of(
                new Contender("SGD 0.05", m -> SGD.with().lr(0.05).build(m.parameters()), null),
                new Contender("SGD Nesterov 0.05",
                        m -> SGD.with().lr(0.05).momentum(0.9).nesterov(true).build(m.parameters()), null),
                new Contender("SGD Nesterov one-cycle 0.2", m -> SGD.with().lr(0.05).momentum(0.9).nesterov(true)
                        .build(m.parameters()),
                        (o, e, b) -> Schedules.perBatch(OneCycleLR.with(0.2).epochs(e, b).build(o))),
                new Contender("RMSprop 1e-3", m -> RMSprop.with().lr(1e-3).build(m.parameters()), null),
                new Contender("Adagrad 0.05", m -> Adagrad.with().lr(0.05).build(m.parameters()), null),
                new Contender("Adam 1e-3", m -> Adam.with().lr(1e-3).build(m.parameters()), null),
                new Contender("AdamW 1e-3 cosine", m -> AdamW.with().lr(1e-3).build(m.parameters()),
                        (o, e, b) -> Schedules.perEpoch(new CosineAnnealingLR(o, e, 0))));
    }

    public static void main(String[] args) throws IOException {
        ExampleArgs a = ExampleArgs.parseOrExit("OptimizerComparison", args, 5, 128, "runs", false);
        FashionMnist data = FashionMnist.load(a.data(), a.limit());
        System.out.println(data.describe() + "; backend " + Backends.getDefault().name());
        List<String> names = new ArrayList<>();
        List<History> runs = new ArrayList<>();
        for (Contender c : contenders()) {
            System.out.println(c.name() + ":");
            Myelin.manualSeed(a.seed());
            Sequential model = Models.studentMlp();
            Optimizer opt = c.optimizer().apply(model);
            DataLoader train = new DataLoader(data.train(), a.batchSize(),
                    DataLoader.options().shuffle(true).seed(a.seed()));
            Trainer.Builder b = Trainer.builder(model, opt, Criterion.of(new CrossEntropyLoss())).epochs(a.epochs())
                    .progressBar(a.progress());
            if (c.schedule() != null) b.schedule(c.schedule().create(opt, a.epochs(), train.numBatches()));
            runs.add(b.build().fit(train, new DataLoader(data.test(), 1000)));
            names.add(c.name());
        }
        Files.createDirectories(a.out());
        Curves.saveSideBySide(List.of(
                Curves.compare("training loss", "loss", names, runs, EpochMetrics::trainLoss),
                Curves.compare("test accuracy", "accuracy", names, runs, EpochMetrics::valAccuracy)),
                a.out().resolve("optimizer-comparison.png"));
        System.out.printf("%n%-28s %10s %10s%n", "optimizer", "loss", "test acc");
        for (int i = 0; i < names.size(); i++) {
            EpochMetrics last = runs.get(i).last();
            System.out.printf("%-28s %10.4f %9.2f%%%n", names.get(i), last.trainLoss(), 100 * last.valAccuracy());
        }
        System.out.println("chart: " + a.out().resolve("optimizer-comparison.png"));
    }
}
