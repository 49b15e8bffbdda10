package dev.myelin.backend;

/** Whether a backend can run here, and if not, why (e.g. which library is missing and where we looked). */
public record Availability(boolean available, String reason) {
    public static Availability yes() {
        return new Availability(true, "available");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
