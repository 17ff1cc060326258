//! A convergence plot: relative gap (log scale) against seconds, as a self-contained SVG.

use crate::assign::Step;

/// The SVG of a run's gap history (empty history: an empty frame).
pub fn convergence_svg(history: &[Step], title: &str) -> String {
    let (w, h, left, bottom, top, right) = (640.0, 400.0, 70.0, 50.0, 30.0, 20.0);
    let points: Vec<(f64, f64)> =
        history.iter().filter(|s| s.relative_gap > 0.0).map(|s| (s.seconds, s.relative_gap.log10())).collect();
    let t_max = points.iter().map(|p| p.0).fold(0.0f64, f64::max).max(1e-9);
    let g_max = points.iter().map(|p| p.1).fold(f64::MIN, f64::max).ceil();
    let g_min = points.iter().map(|p| p.1).fold(f64::MAX, f64::min).floor();
    let (g_min, g_max) = if points.is_empty() { (-6.0, 0.0) } else { (g_min, g_max.max(g_min + 1.0)) };
    let x = |t: f64| left + (w - left - right) * t / t_max;
    let y = |g: f64| top + (h - top - bottom) * (g_max - g) / (g_max - g_min);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">
<rect width="{w}" height="{h}" fill="white"/>
<text x="{}" y="18" text-anchor="middle">{}</text>
<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="black"/>
<line x1="{left}" y1="{top}" x2="{left}" y2="{}" stroke="black"/>
<text x="{}" y="{}" text-anchor="middle">seconds</text>
<text x="16" y="{}" transform="rotate(-90 16 {})" text-anchor="middle">relative gap</text>
"#,
        w / 2.0,
        escape(title),
        h - bottom,
        w - right,
        h - bottom,
        h - bottom,
        (left + w - right) / 2.0,
        h - 12.0,
        h / 2.0,
        h / 2.0
    );
    let mut g = g_min;
    while g <= g_max + 1e-9 {
        svg += &format!(
            "<line x1=\"{left}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"#ddd\"/><text x=\"{2}\" y=\"{3:.1}\" text-anchor=\"end\">1e{4}</text>\n",
            y(g),
            w - right,
            left - 6.0,
            y(g) + 4.0,
            g as i64
        );
        g += 1.0;
    }
    for i in 0..=4 {
        let t = t_max * f64::from(i) / 4.0;
        svg += &format!("<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{t:.2}</text>\n", x(t), h - bottom + 16.0);
    }
    if !points.is_empty() {
        let path: Vec<String> = points.iter().map(|&(t, g)| format!("{:.1},{:.1}", x(t), y(g))).collect();
        svg +=
            &format!("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"{}\"/>\n", path.join(" "));
    }
    svg + "</svg>\n"
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
