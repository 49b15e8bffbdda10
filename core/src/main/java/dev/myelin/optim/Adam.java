package dev.myelin.optim;

import java.util.List;
import java.util.Map;

/**
 * Adam (torch.optim.Adam and its defaults), optionally AMSGrad; weight decay is added to the
 * gradient (L2). For decoupled weight decay use {@link AdamW}.
 * <pre>{@code Adam opt = Adam.with().lr(1e-3).betas(0.9, 0.999).build(model.parameters());}</pre>
 */
public final class Adam extends AdamFamily {
    private Adam(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("Adam", false, groups, defaults);
    }

    public static Builder<Adam> with() {
        return new Builder<>("Adam", 0.0, Adam::new);
    }
}
