package dev.myelin.examples;

import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Backends;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.nn.loss.DistillationLoss;
import dev.myelin.optim.Adam;
import dev.myelin.train.Criterion;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;

/**
 * Knowledge distillation on Fashion-MNIST: trains the CNN as the teacher, then the same small MLP
 * student twice from the same initial weights, once on the labels alone and once with
 * {@link DistillationLoss} (T = 4, alpha = 0.7), and reports both students' test accuracy.
 * <pre>./myelin example Distillation [--epochs 5] [--data DIR] [--out runs] [--seed 0] [--no-progress]</pre>
 */
public final class Distillation {
    static final double TEMPERATURE = 4, ALPHA = 0.7;

    public static void main(String[] args) {
        ExampleArgs a = ExampleArgs.parseOrExit("Distillation", args, 5, 128, "runs", false);
        FashionMnist data = FashionMnist.load(a.data(), a.limit());
        System.out.println(data.describe() + "; backend " + Backends.getDefault().name());

        Myelin.manualSeed(a.seed());
        Sequential teacher = Models.cnn();
        System.out.println("teacher (CNN):");
        double teacherAccuracy = FashionCnn.train(teacher, data, a, "distill-teacher").last().valAccuracy();
        teacher.eval();

        System.out.println("student on labels only:");
        double alone = trainStudent(data, a, "distill-student-alone", Criterion.of(new CrossEntropyLoss()));
        System.out.println("student taught by the teacher:");
        DistillationLoss distill = new DistillationLoss(TEMPERATURE, ALPHA);
        double taught = trainStudent(data, a, "distill-student-taught",
                (output, batch) -> distill.forward(output, teacherLogits(teacher, batch.x()), batch.y()));

        System.out.printf("teacher %.2f%%, student alone %.2f%%, student with teacher %.2f%% (T=%.0f, alpha=%.1f)%n",
                100 * teacherAccuracy, 100 * alone, 100 * taught, TEMPERATURE, ALPHA);
    }

    private static Tensor teacherLogits(Module teacher, Tensor x) {
        try (var ignored = GradMode.noGrad()) {
            return teacher.forward(x);
        }
    }

    /** Trains a fresh student from the same seed, so both students start from the same weights. */
    private static double trainStudent(FashionMnist data, ExampleArgs a, String runName, Criterion criterion) {
        Myelin.manualSeed(a.seed() + 1);
        Sequential student = Models.studentMlp();
        var optimizer = Adam.with().lr(1e-3).build(student.parameters());
        History h = Trainer.builder(student, optimizer, criterion)
                .epochs(a.epochs())
                .progressBar(a.progress())
                .outputDir(a.out(), runName)
                .build()
                .fit(new DataLoader(data.train(), a.batchSize(), DataLoader.options().shuffle(true).seed(a.seed())),
                        new DataLoader(data.test(), 1000));
        return h.last().valAccuracy();
    }
}
