/** Optimizers (torch.optim): SGD, Adam, AdamW, Adagrad, RMSprop; parameter groups, gradient clipping, state. */
package dev.myelin.optim;
