/** The device-generic test base: each test written once, run on every backend (cpu, cuda-emulated, cuda). */
package dev.myelin.testing;
