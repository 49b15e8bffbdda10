/** Loss functions (torch.nn losses): regression, classification, distillation and penalties. */
package dev.myelin.nn.loss;
