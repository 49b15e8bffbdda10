package dev.myelin.cpu;

import dev.myelin.backend.Backends;

/**
 * Run by {@link CpuThreadsTest} in a fresh JVM: starts the backend forced and under auto, and prints what each threw.
 */
public final class BackendStartProcess {
    private BackendStartProcess() {}

    public static void main(String[] args) {
        start("forced", () -> Backends.get("cpu"));
        start("auto", Backends::getDefault);
    }

    private static void start(String how, Runnable start) {
        try {
            start.run();
            System.out.println(how + ": started");
        } catch (RuntimeException e) {
            System.out.println(how + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
