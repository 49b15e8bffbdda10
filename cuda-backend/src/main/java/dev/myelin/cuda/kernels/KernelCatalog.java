package dev.myelin.cuda.kernels;

import java.util.List;

import static dev.myelin.cuda.kernels.KernelDtypes.ALL;
import static dev.myelin.cuda.kernels.KernelDtypes.FLOATING;

/**
 * Every kernel the launchers call, with its parameters, in one place: the contract between the
 * CUDA C under {@code cuda-backend/src/main/cuda} and the Java side. KernelEntryPointsTest
 * checks each entry against the committed PTX (name and parameter types), and that the PTX has
 * no entry missing from here. Parameter letters: see {@link KernelSpec}.
 *
 * <p>Internal: not part of the API.
 */
public final class KernelCatalog {
    private KernelCatalog() {}

    public static final String ELEMENTWISE = "elementwise";
    public static final String ACTIVATIONS = "activations";
    public static final String REDUCTIONS = "reductions";
    public static final String LOSSES = "losses";
    public static final String LAYERNORM = "layernorm";
    public static final String DROPOUT = "dropout";
    public static final String OPTIM = "optim";
    public static final String POOLING = "pooling";
    public static final String INDEXING = "indexing";

    // elementwise.cu: linear variants take one stride per operand; _nd variants a Geometry.
    public static final KernelSpec FILL = KernelSpec.of(ELEMENTWISE, "elementwise_fill", "i p l l d");
    public static final KernelSpec FILL_ND = KernelSpec.of(ELEMENTWISE, "elementwise_fill_nd", "i p l d G");
    public static final KernelSpec COPY = KernelSpec.of(ELEMENTWISE, "elementwise_copy", "i p l i p l l");
    public static final KernelSpec COPY_ND = KernelSpec.of(ELEMENTWISE, "elementwise_copy_nd", "i p i p l G");
    public static final KernelSpec UNARY = KernelSpec.of(ELEMENTWISE, "elementwise_unary_{t}", FLOATING, "i p l p l");
    public static final KernelSpec UNARY_ND =
            KernelSpec.of(ELEMENTWISE, "elementwise_unary_{t}_nd", FLOATING, "i p p l G");
    public static final KernelSpec BINARY =
            KernelSpec.of(ELEMENTWISE, "elementwise_binary_{t}", ALL, "i p l p l p l p");
    public static final KernelSpec BINARY_ND =
            KernelSpec.of(ELEMENTWISE, "elementwise_binary_{t}_nd", ALL, "i p p p l G p");
    public static final KernelSpec SCALAR = KernelSpec.of(ELEMENTWISE, "elementwise_scalar_{t}", ALL, "i p l S i p l");
    public static final KernelSpec SCALAR_ND =
            KernelSpec.of(ELEMENTWISE, "elementwise_scalar_{t}_nd", ALL, "i p S i p l G");
    public static final KernelSpec CLAMP = KernelSpec.of(ELEMENTWISE, "elementwise_clamp_{t}", ALL, "p l d d p l");
    public static final KernelSpec CLAMP_ND =
            KernelSpec.of(ELEMENTWISE, "elementwise_clamp_{t}_nd", ALL, "p d d p l G");
    public static final KernelSpec WHERE =
            KernelSpec.of(ELEMENTWISE, "elementwise_where_{t}", ALL, "i p l p l p l p l");
    public static final KernelSpec WHERE_ND =
            KernelSpec.of(ELEMENTWISE, "elementwise_where_{t}_nd", ALL, "i p p p p l G");

    // activations.cu
    public static final KernelSpec ACT_FORWARD =
            KernelSpec.of(ACTIVATIONS, "activation_forward_{t}", FLOATING, "i T p p l");
    public static final KernelSpec ACT_BACKWARD =
            KernelSpec.of(ACTIVATIONS, "activation_backward_{t}", FLOATING, "i T p p p p l");
    public static final KernelSpec BIAS_ACT_FORWARD =
            KernelSpec.of(ACTIVATIONS, "bias_activation_forward_{t}", FLOATING, "i T p p p l l");
    public static final KernelSpec BIAS_ACT_BACKWARD =
            KernelSpec.of(ACTIVATIONS, "bias_activation_backward_{t}", FLOATING, "i T p p p p p l l");
    public static final KernelSpec SOFTMAX_ROWS_WARP =
            KernelSpec.of(ACTIVATIONS, "softmax_rows_warp_{t}", FLOATING, "p p l l i");
    public static final KernelSpec SOFTMAX_ROWS_BLOCK =
            KernelSpec.of(ACTIVATIONS, "softmax_rows_block_{t}", FLOATING, "p p l l i");
    public static final KernelSpec SOFTMAX_COLUMNS =
            KernelSpec.of(ACTIVATIONS, "softmax_columns_{t}", FLOATING, "p p l l l i");
    public static final KernelSpec SOFTMAX_BACKWARD_ROWS_WARP =
            KernelSpec.of(ACTIVATIONS, "softmax_backward_rows_warp_{t}", FLOATING, "p p p l l i");
    public static final KernelSpec SOFTMAX_BACKWARD_ROWS_BLOCK =
            KernelSpec.of(ACTIVATIONS, "softmax_backward_rows_block_{t}", FLOATING, "p p p l l i");
    public static final KernelSpec SOFTMAX_BACKWARD_COLUMNS =
            KernelSpec.of(ACTIVATIONS, "softmax_backward_columns_{t}", FLOATING, "p p p l l l i");

    // reductions.cu
    public static final KernelSpec REDUCE_WARP = KernelSpec.of(REDUCTIONS, "reduce_warp_{t}", ALL, "i p D D l l p d");
    public static final KernelSpec REDUCE_BLOCK =
            KernelSpec.of(REDUCTIONS, "reduce_block_{t}", ALL, "i p D D l l l p p d");
    public static final KernelSpec REDUCE_COLUMNS =
            KernelSpec.of(REDUCTIONS, "reduce_columns_{t}", ALL, "i p l l l l p p d");
    public static final KernelSpec REDUCE_FINISH = KernelSpec.of(REDUCTIONS, "reduce_finish_{t}", ALL, "i p l l l p d");
    public static final KernelSpec ARG_ROWS_WARP =
            KernelSpec.of(REDUCTIONS, "argreduce_rows_warp_{t}", ALL, "i p l l p");
    public static final KernelSpec ARG_ROWS_BLOCK =
            KernelSpec.of(REDUCTIONS, "argreduce_rows_block_{t}", ALL, "i p l l p");
    public static final KernelSpec ARG_COLUMNS = KernelSpec.of(REDUCTIONS, "argreduce_columns_{t}", ALL, "i p l l l p");

    // losses.cu
    public static final KernelSpec POINTWISE =
            KernelSpec.of(LOSSES, "loss_pointwise_{t}", FLOATING, "i d p l p l p l p l");
    public static final KernelSpec POINTWISE_ND =
            KernelSpec.of(LOSSES, "loss_pointwise_{t}_nd", FLOATING, "i d p p p p l G");
    public static final KernelSpec POINTWISE_BACKWARD =
            KernelSpec.of(LOSSES, "loss_pointwise_backward_{t}", FLOATING, "i d p l p l p l p l p l");
    public static final KernelSpec POINTWISE_BACKWARD_ND =
            KernelSpec.of(LOSSES, "loss_pointwise_backward_{t}_nd", FLOATING, "i d p p p p p l G");
    public static final KernelSpec CHECK_TARGETS = KernelSpec.of(LOSSES, "loss_check_targets", "i p l l l p");
    public static final KernelSpec CROSS_ENTROPY =
            KernelSpec.of(LOSSES, "loss_cross_entropy_{t}", FLOATING, "p C i p p l d p p");
    public static final KernelSpec CROSS_ENTROPY_BACKWARD =
            KernelSpec.of(LOSSES, "loss_cross_entropy_backward_{t}", FLOATING, "p C i p p l d p p");
    public static final KernelSpec NLL = KernelSpec.of(LOSSES, "loss_nll_{t}", FLOATING, "p C i p p l p p");
    public static final KernelSpec NLL_BACKWARD =
            KernelSpec.of(LOSSES, "loss_nll_backward_{t}", FLOATING, "C i p p l p p");

    // layernorm.cu
    public static final KernelSpec LAYERNORM_WARP =
            KernelSpec.of(LAYERNORM, "layernorm_forward_warp_{t}", FLOATING, "p p p d p p p l l");
    public static final KernelSpec LAYERNORM_BLOCK =
            KernelSpec.of(LAYERNORM, "layernorm_forward_block_{t}", FLOATING, "p p p d p p p l l");
    public static final KernelSpec LAYERNORM_BACKWARD_WARP =
            KernelSpec.of(LAYERNORM, "layernorm_backward_warp_{t}", FLOATING, "p p p p p p l l");
    public static final KernelSpec LAYERNORM_BACKWARD_BLOCK =
            KernelSpec.of(LAYERNORM, "layernorm_backward_block_{t}", FLOATING, "p p p p p p l l");
    public static final KernelSpec LAYERNORM_PARAMS =
            KernelSpec.of(LAYERNORM, "layernorm_params_{t}", FLOATING, "p p p p l l p p p");
    public static final KernelSpec LAYERNORM_PARAMS_FINISH =
            KernelSpec.of(LAYERNORM, "layernorm_params_finish_{t}", FLOATING, "p l l p p");

    // dropout.cu
    public static final KernelSpec DROPOUT_ELEMENTS = KernelSpec.of(DROPOUT, "dropout_{t}", FLOATING, "p p l l l i T");
    public static final KernelSpec DROPOUT_GROUPED =
            KernelSpec.of(DROPOUT, "dropout_grouped_{t}", FLOATING, "p p l l l l i T");

    // optim.cu
    public static final KernelSpec SGD = KernelSpec.of(OPTIM, "optim_sgd_{t}", FLOATING, "p p p l T T T T i i i");
    public static final KernelSpec RMSPROP =
            KernelSpec.of(OPTIM, "optim_rmsprop_{t}", FLOATING, "p p p p p l T T T T T i T");
    public static final KernelSpec ADAGRAD = KernelSpec.of(OPTIM, "optim_adagrad_{t}", FLOATING, "p p p l T T i T");
    public static final KernelSpec ADAM =
            KernelSpec.of(OPTIM, "optim_adam_{t}", FLOATING, "p p p p p l T T T T T T i i T T T");

    // pooling.cu: pointers, planes, then h w oh ow kh kw sh sw ph pw (and countIncludePad for avg).
    public static final KernelSpec MAX_POOL =
            KernelSpec.of(POOLING, "max_pool2d_{t}", FLOATING, "p p p l i i i i i i i i i i");
    public static final KernelSpec MAX_POOL_BACKWARD =
            KernelSpec.of(POOLING, "max_pool2d_backward_{t}", FLOATING, "p p p l i i i i i i i i i i");
    public static final KernelSpec AVG_POOL =
            KernelSpec.of(POOLING, "avg_pool2d_{t}", FLOATING, "p p l i i i i i i i i i i i");
    public static final KernelSpec AVG_POOL_BACKWARD =
            KernelSpec.of(POOLING, "avg_pool2d_backward_{t}", FLOATING, "p p l i i i i i i i i i i i");

    // indexing.cu: the index check (first bad value), gather and scatter-add.
    public static final KernelSpec INDEX_CHECK = KernelSpec.of(INDEXING, "index_check", "i p l l p");
    public static final KernelSpec INDEX_GATHER =
            KernelSpec.of(INDEXING, "index_gather_{t}", FLOATING, "p D i p l l l l p");
    public static final KernelSpec INDEX_SCATTER_ADD =
            KernelSpec.of(INDEXING, "index_scatter_add_{t}", FLOATING, "p D i p l l l l p");

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
            INDEX_CHECK, INDEX_GATHER, INDEX_SCATTER_ADD);

    /** The PTX modules, one per .cu file. */
    public static final List<String> MODULES = List.of(ELEMENTWISE, ACTIVATIONS, REDUCTIONS, LOSSES, LAYERNORM,
            DROPOUT, OPTIM, POOLING, INDEXING);
}
