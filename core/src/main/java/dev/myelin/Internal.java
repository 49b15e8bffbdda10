package dev.myelin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API that is public only because Myelin's own packages (ops, autograd, nn, backends) call it
 * across package boundaries. Not for users: it may change or go in any release, and calling it can
 * break invariants the public API keeps (reference counts, the autograd graph). Documentation only;
 * nothing checks it. PyTorch's underscore names ({@code torch._C}, {@code Tensor._base}) and DJL's
 * {@code @Internal} play the same part.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.PACKAGE})
public @interface Internal {}
