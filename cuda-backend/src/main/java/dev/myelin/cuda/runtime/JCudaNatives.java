package dev.myelin.cuda.runtime;

/**
 * Loads JCuda's native driver binding (from the jcuda-natives jar of this OS and architecture).
 * JCudaDriver loads it in its static initialiser, so no Myelin class touches JCudaDriver before
 * {@link CudaAvailability} has seen a driver and a device.
 */
final class JCudaNatives {
    private JCudaNatives() {}

    /** Null when loaded, else why not. */
    static String load() {
        try {
            Class.forName("jcuda.driver.JCudaDriver", true, JCudaNatives.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException e) {
            return "JCuda (org.jcuda:jcuda) is not on the class path";
        } catch (LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "JCuda's native library could not be loaded (org.jcuda:jcuda-natives for "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + cause;
        }
    }
}
