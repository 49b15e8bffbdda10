/**
 * <b>Internal.</b> The ops behind {@link dev.myelin.Tensor}'s methods and the layers: argument
 * checks, output allocation, backend dispatch and autograd recording. Users call the tensor, nn and
 * functional APIs; these classes may change in any release.
 */
@Internal
package dev.myelin.ops;

import dev.myelin.Internal;
