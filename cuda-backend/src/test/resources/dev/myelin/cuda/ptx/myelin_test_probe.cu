// Test kernel for the launch API (KernelsTest): one argument of every type the builder passes.
// Rebuild: nvcc -ptx -arch=compute_75 myelin_test_probe.cu -o myelin_test_probe.ptx, then lower ".version"
// to 7.0 (the kernel uses nothing newer) so that drivers older than CUDA 13 can load it.
extern "C" __global__ void probe_f32(float* out, const float* x, long long n, float a, double b, int c) {
    long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x;
    if (i < n) out[i] = x[i] * a + (float) b + (float) c;
}
