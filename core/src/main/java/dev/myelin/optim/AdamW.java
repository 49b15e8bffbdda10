package dev.myelin.optim;

import java.util.List;
import java.util.Map;

/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default 1e-2. */
public final class AdamW extends AdamFamily {
    private AdamW(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("AdamW", true, groups, defaults);
    }

    public static Builder<AdamW> with() {
        return new Builder<>("AdamW", 1e-2, AdamW::new);
    }
}
