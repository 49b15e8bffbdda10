/** Stateless functions behind the layers and losses (torch.nn.functional). */
package dev.myelin.nn.functional;
