package dev.myelin.cuda.kernels;

import java.util.List;

import static dev.myelin.cuda.kernels.KernelDtypes.ALL;
import static dev.myelin.cuda.kernels.KernelDtypes.FLOATING;

/**
 * Every kernel the launchers call, with its parameters, in one place: the contract between the
 * CUDA C under {@code cuda-backend/src/main/cuda} and the Java side. KernelEntryPointsTest
 * checks each entry against the committed PTX (name and parameter types), and that the PTX has
 * no entry missing from here. Parameter letters: see {@link KernelSpec}.
 */
public final class KernelCatalog {
    private KernelCatalog() {}

    static final String ELEMENTWISE = "elementwise";
    static final String ACTIVATIONS = "activations";
    static final String REDUCTIONS = "reductions";
    static final String LOSSES = "losses";
    static final String LAYERNORM = "layernorm";
    static final String DROPOUT = "dropout";
    static final String OPTIM = "optim";
    static final String POOLING = "pooling";

    // elementwise.cu: linear variants take one stride per operand; _nd variants a Geometry.
    static final KernelSpec FILL = KernelSpec.of(ELEMENTWISE, "elementwise_fill", "i p l l d");
    static final KernelSpec FILL_ND = KernelSpec.of(ELEMENTWISE, "elementwise_fill_nd", "i p l d G");
    static final KernelSpec COPY = KernelSpec.of(ELEMENTWISE, "elementwise_copy", "i p l i p l l");
    static final KernelSpec COPY_ND = KernelSpec.of(ELEMENTWISE, "elementwise_copy_nd", "i p i p l G");
    static final KernelSpec UNARY = KernelSpec.of(ELEMENTWISE, "elementwise_unary_{t}", FLOATING, "i p l p l");
    static final KernelSpec UNARY_ND = KernelSpec.of(ELEMENTWISE, "elementwise_unary_{t}_nd", FLOATING, "i p p l G");
    static final KernelSpec BINARY = KernelSpec.of(ELEMENTWISE, "elementwise_binary_{t}", ALL, "i p l p l p l p");
    static final KernelSpec BINARY_ND = KernelSpec.of(ELEMENTWISE, "elementwise_binary_{t}_nd", ALL, "i p p p l G p");
    static final KernelSpec SCALAR = KernelSpec.of(ELEMENTWISE, "elementwise_scalar_{t}", ALL, "i p l S i p l");
    static final KernelSpec SCALAR_ND = KernelSpec.of(ELEMENTWISE, "elementwise_scalar_{t}_nd", ALL, "i p S i p l G");
    static final KernelSpec CLAMP = KernelSpec.of(ELEMENTWISE, "elementwise_clamp_{t}", ALL, "p l d d p l");
    static final KernelSpec CLAMP_ND = KernelSpec.of(ELEMENTWISE, "elementwise_clamp_{t}_nd", ALL, "p d d p l G");
    static final KernelSpec WHERE = KernelSpec.of(ELEMENTWISE, "elementwise_where_{t}", ALL, "i p l p l p l p l");
    static final KernelSpec WHERE_ND = KernelSpec.of(ELEMENTWISE, "elementwise_where_{t}_nd", ALL, "i p p p p l G");

    // activations.cu
    static final KernelSpec ACT_FORWARD = KernelSpec.of(ACTIVATIONS, "activation_forward_{t}", FLOATING, "i T p p l");
    static final KernelSpec ACT_BACKWARD = KernelSpec.of(ACTIVATIONS, "activation_backward_{t}", FLOATING, "i T p p p p l");
    static final KernelSpec BIAS_ACT_FORWARD =
            KernelSpec.of(ACTIVATIONS, "bias_activation_forward_{t}", FLOATING, "i T p p p l l");
    static final KernelSpec BIAS_ACT_BACKWARD =
            KernelSpec.of(ACTIVATIONS, "bias_activation_backward_{t}", FLOATING, "i T p p p p p l l");
    static final KernelSpec SOFTMAX_ROWS_WARP = KernelSpec.of(ACTIVATIONS, "softmax_rows_warp_{t}", FLOATING, "p p l l i");
    static final KernelSpec SOFTMAX_ROWS_BLOCK = KernelSpec.of(ACTIVATIONS, "softmax_rows_block_{t}", FLOATING, "p p l l i");
    static final KernelSpec SOFTMAX_COLUMNS = KernelSpec.of(ACTIVATIONS, "softmax_columns_{t}", FLOATING, "p p l l l i");
    static final KernelSpec SOFTMAX_BACKWARD_ROWS_WARP =
            KernelSpec.of(ACTIVATIONS, "softmax_backward_rows_warp_{t}", FLOATING, "p p p l l i");
    static final KernelSpec SOFTMAX_BACKWARD_ROWS_BLOCK =
            KernelSpec.of(ACTIVATIONS, "softmax_backward_rows_block_{t}", FLOATING, "p p p l l i");
    static final KernelSpec SOFTMAX_BACKWARD_COLUMNS =
            KernelSpec.of(ACTIVATIONS, "softmax_backward_columns_{t}", FLOATING, "p p p l l l i");

    // reductions.cu
    static final KernelSpec REDUCE_WARP = KernelSpec.of(REDUCTIONS, "reduce_warp_{t}", ALL, "i p D D l l p d");
    static final KernelSpec REDUCE_BLOCK = KernelSpec.of(REDUCTIONS, "reduce_block_{t}", ALL, "i p D D l l l p p d");
    static final KernelSpec REDUCE_COLUMNS = KernelSpec.of(REDUCTIONS, "reduce_columns_{t}", ALL, "i p l l l l p p d");
    static final KernelSpec REDUCE_FINISH = KernelSpec.of(REDUCTIONS, "reduce_finish_{t}", ALL, "i p l l l p d");
    static final KernelSpec ARG_ROWS_WARP = KernelSpec.of(REDUCTIONS, "argreduce_rows_warp_{t}", ALL, "i p l l p");
    static final KernelSpec ARG_ROWS_BLOCK = KernelSpec.of(REDUCTIONS, "argreduce_rows_block_{t}", ALL, "i p l l p");
    static final KernelSpec ARG_COLUMNS = KernelSpec.of(REDUCTIONS, "argreduce_columns_{t}", ALL, "i p l l l p");

    // losses.cu
    static final KernelSpec POINTWISE = KernelSpec.of(LOSSES, "loss_pointwise_{t}", FLOATING, "i d p l p l p l p l");
    static final KernelSpec POINTWISE_ND = KernelSpec.of(LOSSES, "loss_pointwise_{t}_nd", FLOATING, "i d p p p p l G");
    static final KernelSpec POINTWISE_BACKWARD =
            KernelSpec.of(LOSSES, "loss_pointwise_backward_{t}", FLOATING, "i d p l p l p l p l p l");
    static final KernelSpec POINTWISE_BACKWARD_ND =
            KernelSpec.of(LOSSES, "loss_pointwise_backward_{t}_nd", FLOATING, "i d p p p p p l G");
    static final KernelSpec CHECK_TARGETS = KernelSpec.of(LOSSES, "loss_check_targets", "i p l l l p");
    static final KernelSpec CROSS_ENTROPY = KernelSpec.of(LOSSES, "loss_cross_entropy_{t}", FLOATING, "p C i p p l d p p");
    static final KernelSpec CROSS_ENTROPY_BACKWARD =
            KernelSpec.of(LOSSES, "loss_cross_entropy_backward_{t}", FLOATING, "p C i p p l d p p");
    static final KernelSpec NLL = KernelSpec.of(LOSSES, "loss_nll_{t}", FLOATING, "p C i p p l p p");
    static final KernelSpec NLL_BACKWARD = KernelSpec.of(LOSSES, "loss_nll_backward_{t}", FLOATING, "C i p p l p p");

    // layernorm.cu
    static final KernelSpec LAYERNORM_WARP = KernelSpec.of(LAYERNORM, "layernorm_forward_warp_{t}", FLOATING, "p p p d p p p l l");
    static final KernelSpec LAYERNORM_BLOCK = KernelSpec.of(LAYERNORM, "layernorm_forward_block_{t}", FLOATING, "p p p d p p p l l");
    static final KernelSpec LAYERNORM_BACKWARD_WARP =
            KernelSpec.of(LAYERNORM, "layernorm_backward_warp_{t}", FLOATING, "p p p p p p l l");
    static final KernelSpec LAYERNORM_BACKWARD_BLOCK =
            KernelSpec.of(LAYERNORM, "layernorm_backward_block_{t}", FLOATING, "p p p p p p l l");
    static final KernelSpec LAYERNORM_PARAMS = KernelSpec.of(LAYERNORM, "layernorm_params_{t}", FLOATING, "p p p p l l p p p");
    static final KernelSpec LAYERNORM_PARAMS_FINISH =
            KernelSpec.of(LAYERNORM, "layernorm_params_finish_{t}", FLOATING, "p l l p p");

    // dropout.cu
    static final KernelSpec DROPOUT_ELEMENTS = KernelSpec.of(DROPOUT, "dropout_{t}", FLOATING, "p p l l l i T");
    static final KernelSpec DROPOUT_GROUPED = KernelSpec.of(DROPOUT, "dropout_grouped_{t}", FLOATING, "p p l l l l i T");

    // optim.cu
    static final KernelSpec SGD = KernelSpec.of(OPTIM, "optim_sgd_{t}", FLOATING, "p p p l T T T T i i i");
    static final KernelSpec RMSPROP = KernelSpec.of(OPTIM, "optim_rmsprop_{t}", FLOATING, "p p p p p l T T T T T i T");
    static final KernelSpec ADAGRAD = KernelSpec.of(OPTIM, "optim_adagrad_{t}", FLOATING, "p p p l T T i T");
    static final KernelSpec ADAM = KernelSpec.of(OPTIM, "optim_adam_{t}", FLOATING, "p p p p p l T T T T T T i i T T T");

    // pooling.cu: pointers, planes, then h w oh ow kh kw sh sw ph pw (and countIncludePad for avg).
    static final KernelSpec MAX_POOL = KernelSpec.of(POOLING, "max_pool2d_{t}", FLOATING, "p p p l i i i i i i i i i i");
    static final KernelSpec MAX_POOL_BACKWARD =
            KernelSpec.of(POOLING, "max_pool2d_backward_{t}", FLOATING, "p p p l i i i i i i i i i i");
    static final KernelSpec AVG_POOL = KernelSpec.of(POOLING, "avg_pool2d_{t}", FLOATING, "p p l i i i i i i i i i i i");
    static final KernelSpec AVG_POOL_BACKWARD =
            KernelSpec.of(POOLING, "avg_pool2d_backward_{t}", FLOATING, "p p l i i i i i i i i i i i");

    /** Every spec above, in module order. */
    public static final List<KernelSpec> ALL_SPECS = List.of(
            FILL, FILL_ND, COPY, COPY_ND, UNARY, UNARY_ND, BINARY, BINARY_ND, SCALAR, SCALAR_ND, CLAMP, CLAMP_ND,
            WHERE, WHERE_ND,
            ACT_FORWARD, ACT_BACKWARD, BIAS_ACT_FORWARD, BIAS_ACT_BACKWARD, SOFTMAX_ROWS_WARP, SOFTMAX_ROWS_BLOCK,
            SOFTMAX_COLUMNS,
            SOFTMAX_BACKWARD_ROWS_WARP, SOFTMAX_BACKWARD_ROWS_BLOCK, SOFTMAX_BACKWARD_COLUMNS,
            REDUCE_WARP, REDUCE_BLOCK, REDUCE_COLUMNS, REDUCE_FINISH, ARG_ROWS_WARP, ARG_ROWS_BLOCK, ARG_COLUMNS,
            POINTWISE, POINTWISE_ND, POINTWISE_BACKWARD, POINTWISE_BACKWARD_ND, CHECK_TARGETS, CROSS_ENTROPY,
            CROSS_ENTROPY_BACKWARD, NLL, NLL_BACKWARD,
            LAYERNORM_WARP, LAYERNORM_BLOCK, LAYERNORM_BACKWARD_WARP, LAYERNORM_BACKWARD_BLOCK, LAYERNORM_PARAMS,
            LAYERNORM_PARAMS_FINISH,
            DROPOUT_ELEMENTS, DROPOUT_GROUPED,
            SGD, RMSPROP, ADAGRAD, ADAM,
            MAX_POOL, MAX_POOL_BACKWARD, AVG_POOL, AVG_POOL_BACKWARD,
            CudaIndexing.CHECK, CudaIndexing.GATHER, CudaIndexing.SCATTER_ADD);

    /** The PTX modules, one per .cu file. */
    public static final List<String> MODULES = List.of(ELEMENTWISE, ACTIVATIONS, REDUCTIONS, LOSSES, LAYERNORM, DROPOUT, OPTIM,
            POOLING, CudaIndexing.MODULE);
}
