package dev.myelin.backend;

/**
 * Service-provider interface through which {@link java.util.ServiceLoader} finds backends.
 * A backend module lists its provider in {@code META-INF/services/dev.myelin.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** The name users select it by: {@code "cpu"}, {@code "cuda"}. */
    String name();

    /** Higher wins under {@code auto} among available backends. */
    int priority();

    /** Cheap check that says whether {@link #create()} would succeed, and why not. */
    Availability availability();

    /** Creates the backend. Called at most once per process by {@link Backends}. */
    Backend create();
}
