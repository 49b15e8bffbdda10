package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.backend.Conv;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

@GpuTest
class CudaConvParityTest {
    /** N, C, H, W, O, KH, KW, params, bias, dtype. */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, Conv.Params p, boolean bias, DType dtype) {
        int oh() {
            return (h + 2 * p.padH() - p.dilationH() * (kh - 1) - 1) / p.strideH() + 1;
        }

        int ow() {
            return (w + 2 * p.padW() - p.dilationW() * (kw - 1) - 1) / p.strideW() + 1;
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c / p.groups() + "," + kh + "," + kw + "] "
                    + p + (bias ? " bias " : " ") + dtype;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case(2, 3, 11, 9, 5, 3, 3, new Conv.Params(1, 1, 1, 1, 1, 1, 1), true, DType.FLOAT32),
                new Case(3, 4, 13, 10, 6, 3, 2, new Conv.Params(2, 3, 0, 1, 1, 1, 2), false, DType.FLOAT32),
                new Case(1, 2, 15, 15, 4, 3, 3, new Conv.Params(1, 1, 2, 2, 2, 2, 1), true, DType.FLOAT32),
                new Case(4, 8, 7, 7, 8, 1, 1, new Conv.Params(1, 1, 0, 0, 1, 1, 1), true, DType.FLOAT32),
                new Case(2, 6, 9, 8, 6, 3, 3, new Conv.Params(1, 1, 1, 1, 1, 1, 6), false, DType.FLOAT32),
                new Case(2, 3, 8, 7, 4, 5, 3, new Conv.Params(2, 1, 2, 1, 1, 1, 1), true, DType.FLOAT64),
                new Case(8, 16, 28, 28, 32, 5, 5, new Conv.Params(1, 1, 2, 2, 1, 1, 1), true, DType.FLOAT32))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void forwardMatchesTheCpu(Case k) {
        Parity.Pair x = Parity.random(1, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.Pair w = Parity.random(2, k.dtype(), k.o(), k.c() / k.p().groups(), k.kh(), k.kw());
        Parity.Pair b = k.bias() ? Parity.random(3, k.dtype(), k.o()) : Parity.Pair.NONE;
        Parity.Pair y = Parity.poisoned(k.dtype(), k.n(), k.o(), k.oh(), k.ow());
        Parity.cpu().conv().conv2d(x.cpu(), w.cpu(), b.cpu(), k.p(), y.cpu());
        Parity.cuda().conv().conv2d(x.cuda(), w.cuda(), b.cuda(), k.p(), y.cuda());
        Parity.assertClose("conv2d " + k, y);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void backwardDataMatchesTheCpu(Case k) {
        Parity.Pair gy = Parity.random(4, k.dtype(), k.n(), k.o(), k.oh(), k.ow());
        Parity.Pair w = Parity.random(5, k.dtype(), k.o(), k.c() / k.p().groups(), k.kh(), k.kw());
        Parity.Pair gx = Parity.poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.cpu().conv().conv2dBackwardData(gy.cpu(), w.cpu(), k.p(), gx.cpu());
        Parity.cuda().conv().conv2dBackwardData(gy.cuda(), w.cuda(), k.p(), gx.cuda());
        Parity.assertClose("conv2d backward data " + k, gx);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void backwardFilterMatchesTheCpu(Case k) {
        Parity.Pair gy = Parity.random(6, k.dtype(), k.n(), k.o(), k.oh(), k.ow());
        Parity.Pair x = Parity.random(7, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.Pair gw = Parity.poisoned(k.dtype(), k.o(), k.c() / k.p().groups(), k.kh(), k.kw());
        Parity.cpu().conv().conv2dBackwardFilter(gy.cpu(), x.cpu(), k.p(), gw.cpu());
        Parity.cuda().conv().conv2dBackwardFilter(gy.cuda(), x.cuda(), k.p(), gw.cuda());
        Parity.assertClose("conv2d backward filter " + k, gw);
    }
}
