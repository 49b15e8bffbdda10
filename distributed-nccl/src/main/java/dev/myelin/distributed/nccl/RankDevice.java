package dev.myelin.distributed.nccl;

import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.CudaSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which GPU a rank takes: its local rank (PyTorch's {@code torch.cuda.set_device(local_rank)}), unless
 * {@code -Dmyelin.cuda.device} says otherwise (as with one GPU per rank through {@code CUDA_VISIBLE_DEVICES},
 * where each rank's only device is 0). The CUDA backend opens one device per process, so this must be
 * decided before anything touches the GPU.
 */
final class RankDevice {
    private static final Logger LOG = LoggerFactory.getLogger(RankDevice.class);

    private RankDevice() {}

    /** Opens (or returns the already open) device for {@code localRank}. */
    static CudaDevice open(int localRank) {
        CudaDevice already = CudaDevice.ifOpen();
        String setting = System.getProperty(CudaSettings.DEVICE);
        int wanted = choose(setting, localRank);
        if (already == null && (setting == null || setting.isBlank())) {
            System.setProperty(CudaSettings.DEVICE, Integer.toString(wanted));
        }
        CudaDevice device = CudaDevice.get();
        if (device.index() != wanted) {
            LOG.warn("nccl: local rank {} runs on GPU {}, which the CUDA backend opened before the process group "
                    + "(it wanted GPU {}); ranks sharing a GPU make NCCL fail. Create the process group first or "
                    + "set -D{}", localRank, device.index(), wanted, CudaSettings.DEVICE);
        }
        return device;
    }

    /** The device index: the setting when there is one, else the local rank. */
    static int choose(String setting, int localRank) {
        if (setting == null || setting.isBlank()) return localRank;
        try {
            int index = Integer.parseInt(setting.trim());
            if (index >= 0) return index;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("nccl: -D" + CudaSettings.DEVICE + " must be a device index >= 0, got '"
                + setting + "'");
    }
}
