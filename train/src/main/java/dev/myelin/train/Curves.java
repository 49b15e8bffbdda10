package dev.myelin.train;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Writes training curves: the history as CSV and a PNG with loss and accuracy charts side by side (XChart). */
public final class Curves {
    private Curves() {
    }

    /** Writes {@code history} to {@code file} as CSV, replacing it atomically. */
    public static void writeCsv(History history, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, history.toCsv(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes the loss and accuracy curves (training and, when present, validation) to a PNG file. */
    public static void writePng(History history, String title, Path file) throws IOException {
        List<XYChart> charts = List.of(
                chart(history, title + ": loss", "loss", EpochMetrics::trainLoss, EpochMetrics::valLoss),
                chart(history, title + ": accuracy", "accuracy", EpochMetrics::trainAccuracy,
                        EpochMetrics::valAccuracy));
        saveSideBySide(charts, file);
    }

    /** One chart per metric with one series per named run, e.g. an optimizer comparison. */
    public static XYChart compare(String title, String yTitle, List<String> names, List<History> runs,
            ToDoubleFunction<EpochMetrics> metric) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
                .build();
        for (int i = 0; i < names.size(); i++) addSeries(chart, names.get(i), runs.get(i), metric);
        return chart;
    }

    /** Saves charts in one row to a PNG file. */
    public static void saveSideBySide(List<XYChart> charts, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, charts.size(), base, BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(History h, String title, String yTitle, ToDoubleFunction<EpochMetrics> train,
                                 ToDoubleFunction<EpochMetrics> val) {
        XYChart chart = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle)
                .build();
        addSeries(chart, "train", h, train);
        if (h.epochs().stream().anyMatch(m -> !Double.isNaN(val.applyAsDouble(m)))) {
            addSeries(chart, "validation", h, val);
        }
        return chart;
    }

    private static void addSeries(XYChart chart, String name, History h, ToDoubleFunction<EpochMetrics> metric) {
        double[] x = h.epochs().stream().mapToDouble(EpochMetrics::epoch).toArray();
        double[] y = h.epochs().stream().mapToDouble(metric).toArray();
        chart.addSeries(name, x, y).setMarker(SeriesMarkers.CIRCLE);
    }
}
