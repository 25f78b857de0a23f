package io.github.aiosqlite4j.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The ratio chart: one horizontal bar per workload (median async/sync), spread and target. */
final class Chart {

    private Chart() {}

    private static final Color MET = new Color(0x2e7d32);
    private static final Color MISSED = new Color(0xef6c00);
    private static final Color NO_TARGET = new Color(0x78909c);
    private static final Color TARGET = new Color(0xc62828);

    static void write(List<Compare.Result> results, Path file, String subtitle) throws IOException {
        int labelWidth = 330;
        int plotWidth = 640;
        int rowHeight = 26;
        int top = 70;
        int bottom = 70;
        int width = labelWidth + plotWidth + 40;
        int height = top + rowHeight * results.size() + bottom;
        // The axis runs to 1.2, or further for a median or a target above it (W15: 1.8), but
        // never beyond 2.5: a noisy whisker is clipped (drawn to the edge with an arrow) rather
        // than squeezing every bar.
        double scale = 1.2;
        for (Compare.Result r : results) {
            double[] ratio = r.asyncPerSync();
            if (ratio != null) {
                scale = Math.max(scale, Math.min(2.5, Compare.median(ratio) * 1.15));
            }
            if (r.workload().target() != null) {
                scale = Math.max(scale, Math.min(2.5, r.workload().target().min() * 1.1));
            }
        }
        scale = Math.ceil(scale * 4) / 4;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("aiosqlite4j / sync sqlite-jdbc (ops/s ratio, median of rounds; 1.0 = no"
                + " async cost)", 16, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(subtitle != null ? subtitle
                : "bar: median ratio; whisker: min-max over rounds (arrow: beyond the axis);"
                        + " red tick: target", 16, 46);

        int x0 = labelWidth;
        // grid
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        int plotBottom = top + rowHeight * results.size();
        for (double t = 0; t <= scale + 1e-9; t += scale > 3 ? 0.5 : 0.25) {
            int x = x0 + (int) Math.round(t / scale * plotWidth);
            g.setColor(t == 1.0 ? Color.DARK_GRAY : new Color(0xe0e0e0));
            g.setStroke(new BasicStroke(t == 1.0 ? 1.5f : 1f));
            g.drawLine(x, top - 6, x, plotBottom);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.2f", t);
            g.drawString(label, x - fm.stringWidth(label) / 2, plotBottom + 16);
        }

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        fm = g.getFontMetrics();
        for (int i = 0; i < results.size(); i++) {
            Compare.Result r = results.get(i);
            Workload w = r.workload();
            int y = top + i * rowHeight;
            int mid = y + rowHeight / 2;
            // W14's ratio is the pool over plain connections, W15's over the single-thread sync loop
            String label = w.id() + "  " + w.name() + (r.busy() != null ? " (pool / plain)"
                    : w.id().equals("W15") ? " (/ loop)" : "");
            g.setColor(Color.BLACK);
            g.drawString(label, x0 - 10 - fm.stringWidth(label), mid + fm.getAscent() / 2 - 2);
            double[] ratio = r.asyncPerSync();
            if (ratio == null) {
                g.setColor(Color.GRAY);
                g.drawString("not measured", x0 + 6, mid + fm.getAscent() / 2 - 2);
                continue;
            }
            double median = Compare.median(ratio);
            Workload.Target target = w.target();
            g.setColor(target == null ? NO_TARGET : median >= target.min() ? MET : MISSED);
            int barEnd = x0 + (int) Math.round(Math.min(median, scale) / scale * plotWidth);
            g.fillRect(x0, y + 5, Math.max(1, barEnd - x0), rowHeight - 10);
            // whisker
            int lo = x0 + (int) Math.round(Compare.min(ratio) / scale * plotWidth);
            boolean clipped = Compare.max(ratio) > scale;
            int hi = x0 + (int) Math.round(Math.min(Compare.max(ratio), scale) / scale * plotWidth);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1.2f));
            g.drawLine(lo, mid, hi, mid);
            g.drawLine(lo, mid - 4, lo, mid + 4);
            if (clipped) {
                g.drawLine(hi, mid, hi - 6, mid - 4);
                g.drawLine(hi, mid, hi - 6, mid + 4);
            } else {
                g.drawLine(hi, mid - 4, hi, mid + 4);
            }
            int labelX = barEnd;
            if (target != null) {
                int tx = x0 + (int) Math.round(target.min() / scale * plotWidth);
                g.setColor(TARGET);
                g.setStroke(new BasicStroke(3f));
                g.drawLine(tx, y + 1, tx, y + rowHeight - 1);
                labelX = Math.max(labelX, tx + 2);
            }
            // the median, just right of the bar (and of the target tick), on a white box so a
            // whisker running under it does not hide it
            String value = String.format(Locale.ROOT, "%.2f", median);
            int textWidth = fm.stringWidth(value);
            int textX = Math.min(labelX + 6, x0 + plotWidth + 36 - textWidth);
            g.setColor(Color.WHITE);
            g.fillRect(textX - 2, mid - fm.getAscent() / 2 - 1, textWidth + 4, fm.getAscent() + 1);
            g.setColor(Color.BLACK);
            g.drawString(value, textX, mid + fm.getAscent() / 2 - 2);
        }

        // legend
        int ly = plotBottom + 40;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int lx = 16;
        lx = legend(g, lx, ly, MET, "target met");
        lx = legend(g, lx, ly, MISSED, "target missed");
        lx = legend(g, lx, ly, NO_TARGET, "no target");
        g.setColor(TARGET);
        g.setStroke(new BasicStroke(3f));
        g.drawLine(lx + 6, ly - 11, lx + 6, ly + 3);
        g.setColor(Color.BLACK);
        g.drawString("target (issues #4, #14)", lx + 16, ly);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int legend(Graphics2D g, int x, int y, Color color, String text) {
        g.setColor(color);
        g.fillRect(x, y - 11, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 20, y);
        return x + 30 + g.getFontMetrics().stringWidth(text);
    }
}
