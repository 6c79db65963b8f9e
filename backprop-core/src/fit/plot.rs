//! A loss curve drawn as an SVG (feature `plot`): plotters' SVG backend, so no fonts and no image
//! libraries are built; the viewer renders the text.

use super::LossCurve;
use plotters::prelude::*;
use std::format;
use std::io;
use std::path::Path;
use std::string::ToString;

/// One line of the plot: its name in the legend and a loss per epoch.
type Series<'a> = (&'a str, &'a [f64]);

impl LossCurve {
    /// Draws the curve against the epoch, on a logarithmic loss axis, to the SVG file `path`,
    /// creating its directory. `labels` name the training and the held-out series in the
    /// legend; the held-out one is drawn only when the curve has held-out losses. Losses that
    /// are not positive and finite are left out of the lines.
    ///
    /// # Errors
    /// If the directory cannot be created or the file cannot be written.
    pub fn write_svg(
        &self,
        path: impl AsRef<Path>,
        title: &str,
        labels: [&str; 2],
    ) -> io::Result<()> {
        let path = path.as_ref();
        if let Some(directory) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(directory)?;
        }
        let mut series = std::vec![(labels[0], self.train())];
        if self.has_validation() {
            series.push((labels[1], self.validation()));
        }
        draw(path, title, &series).map_err(|error| io::Error::other(error.to_string()))
    }
}

/// The loss axis: from under the smallest positive loss to over the largest.
fn loss_range(series: &[Series<'_>]) -> (f64, f64) {
    let positive = || {
        series
            .iter()
            .flat_map(|(_, values)| values.iter().copied())
            .filter(|value| value.is_finite() && *value > 0.0)
    };
    // With no such loss, low stays infinite; with one value, low equals high.
    let low = positive().fold(f64::INFINITY, f64::min);
    let high = positive().fold(f64::NEG_INFINITY, f64::max);
    if low < high {
        (low * 0.8, high * 1.25)
    } else if low.is_finite() {
        (low * 0.5, high * 2.0)
    } else {
        (1e-3, 1.0)
    }
}

fn draw(
    path: &Path,
    title: &str,
    series: &[Series<'_>],
) -> Result<(), std::boxed::Box<dyn std::error::Error>> {
    let epochs = series
        .iter()
        .map(|(_, values)| values.len())
        .max()
        .unwrap_or(1)
        .max(2);
    let (low, high) = loss_range(series);
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    #[allow(clippy::cast_precision_loss)] // epoch counts are small
    let last_epoch = epochs as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(1.0..last_epoch, (low..high).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc("loss")
        .x_label_formatter(&|epoch| format!("{epoch:.0}"))
        .y_label_formatter(&|value| format!("{value:.0e}"))
        .draw()?;
    let colours = [BLUE, RED, GREEN, MAGENTA, CYAN, BLACK];
    for (index, (label, values)) in series.iter().enumerate() {
        let colour = colours[index % colours.len()];
        #[allow(clippy::cast_precision_loss)] // epoch counts are small
        let points = values
            .iter()
            .enumerate()
            .filter(|(_, value)| value.is_finite() && **value > 0.0)
            .map(|(epoch, &value)| ((epoch + 1) as f64, value));
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
            .label(*label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(curve: &LossCurve, name: &str) -> std::string::String {
        let path = std::env::temp_dir()
            .join(format!("backprop-plot-{}", std::process::id()))
            .join(name);
        curve
            .write_svg(&path, "a title", ["train MSE", "held-out MSE"])
            .expect("the SVG is written");
        std::fs::read_to_string(&path).expect("the SVG is read back")
    }

    #[test]
    fn the_svg_has_the_title_and_one_line_per_series() {
        let mut curve = LossCurve::new();
        for epoch in 1..=20_i32 {
            curve.push(1.0 / f64::from(epoch), Some(2.0 / f64::from(epoch)));
        }
        let text = svg(&curve, "both.svg");
        assert!(text.contains("a title"));
        assert!(text.contains("train MSE") && text.contains("held-out MSE"));
        // Each series is a line and a legend mark in its colour: blue, then red.
        assert_eq!(text.matches("#0000FF").count(), 2);
        assert_eq!(text.matches("#FF0000").count(), 2);

        let mut train_only = LossCurve::new();
        train_only.push(1.0, None);
        train_only.push(0.5, None);
        let text = svg(&train_only, "train.svg");
        assert!(text.contains("train MSE") && !text.contains("held-out MSE"));
        assert_eq!(text.matches("#FF0000").count(), 0);
    }

    #[test]
    fn the_loss_axis_spans_every_positive_finite_loss() {
        let losses = [0.0, 4.0, f64::NAN, 0.5, f64::INFINITY];
        assert_eq!(loss_range(&[("a", &losses)]), (0.5 * 0.8, 4.0 * 1.25));
        assert_eq!(loss_range(&[("a", &[2.0, 2.0])]), (1.0, 4.0));
        assert_eq!(loss_range(&[("a", &[0.0])]), (1e-3, 1.0));
    }
}
