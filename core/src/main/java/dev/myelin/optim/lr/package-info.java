/** Learning-rate schedulers (torch.optim.lr_scheduler). */
package dev.myelin.optim.lr;
