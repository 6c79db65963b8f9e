//! The loss curve of a run as an SVG under `target/plots/` (plotters' SVG backend: no fonts, no
//! image libraries; the SVG viewer renders the text).

use plotters::prelude::*;
use std::error::Error;
use std::path::PathBuf;

/// The directory the plots go to: `$CARGO_TARGET_DIR/plots` when that is set, else
/// `target/plots` in the workspace.
pub fn directory() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            examples.parent().unwrap_or(examples).join("target")
        },
        PathBuf::from,
    );
    target.join("plots")
}

/// One line of a plot: a name for the legend and a value per epoch (epoch 1 first).
pub type Series<'a> = (&'a str, &'a [f64]);

/// Draws `series` against the epoch, on a logarithmic loss axis, to `target/plots/<name>.svg`,
/// and returns that path.
///
/// # Errors
/// If the directory cannot be created or the file cannot be written.
pub fn loss_curve(
    name: &str,
    title: &str,
    series: &[Series<'_>],
) -> Result<PathBuf, Box<dyn Error>> {
    let directory = directory();
    std::fs::create_dir_all(&directory)?;
    let path = directory.join(format!("{name}.svg"));
    draw(&path, title, series)?;
    Ok(path)
}

fn draw(path: &std::path::Path, title: &str, series: &[Series<'_>]) -> Result<(), Box<dyn Error>> {
    let epochs = series
        .iter()
        .map(|(_, values)| values.len())
        .max()
        .unwrap_or(1)
        .max(2);
    let positive = || {
        series
            .iter()
            .flat_map(|(_, values)| values.iter().copied())
            .filter(|value| value.is_finite() && *value > 0.0)
    };
    let low = positive().fold(f64::INFINITY, f64::min);
    let high = positive().fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = if low < high {
        (low * 0.8, high * 1.25)
    } else {
        (1e-3, 1.0)
    };

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
