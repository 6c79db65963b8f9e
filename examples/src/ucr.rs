//! The multivariate time series under `examples/data` (from the UCR/UEA archive; formats in
//! `data/README.md`): reading them as signals `[[f64; L]; C]` (channels first, as `network!`'s
//! `input: [C, L]`), padding the shorter series to the window of a fixed-size net, and
//! standardising each channel with one set's statistics.

use std::ops::Range;

/// The training split of Basic Motions: 40 smart-watch recordings, 6 channels x 100 steps, 4 classes.
pub const BASIC_MOTIONS_TRAIN: &str = include_str!("../data/basic_motions_train.csv");

/// The test split of Basic Motions: 40 recordings.
pub const BASIC_MOTIONS_TEST: &str = include_str!("../data/basic_motions_test.csv");

/// The training split of Japanese Vowels: 270 utterances, 12 channels x 7 to 26 steps, 9 speakers.
pub const JAPANESE_VOWELS_TRAIN: &str = include_str!("../data/japanese_vowels_train.csv");

/// The test split of Japanese Vowels: 370 utterances, 12 channels x 7 to 29 steps.
pub const JAPANESE_VOWELS_TEST: &str = include_str!("../data/japanese_vowels_test.csv");

/// Where the zeros go that fill a series shorter than the window `L` of the net.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Padding {
    /// Before the series: its real steps are the last ones of the window (for a recurrent net
    /// that reads its state after the last step).
    Start,
    /// After the series: its real steps are the first ones of the window.
    End,
}

/// Labelled series of `C` channels, each held in a window of `L` steps: `inputs[k][c][t]` is
/// channel `c` of case `k` at step `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct Series<const C: usize, const L: usize> {
    /// Each case's channels, `L` steps each, padded with zeros where the series is shorter.
    pub inputs: Vec<[[f64; L]; C]>,
    /// Each case's class index, from 0.
    pub labels: Vec<usize>,
    /// Each case's number of real steps (`L` for series of equal length).
    pub lengths: Vec<usize>,
    /// Where the padding of the shorter series is.
    pub padding: Padding,
    /// The class names of the header, in the order of the indices.
    pub classes: Vec<String>,
}

/// The header line: `cases,channels,steps,class names...`.
struct Header {
    cases: usize,
    channels: usize,
    steps: usize,
    classes: Vec<String>,
}

impl<const C: usize, const L: usize> Series<C, L> {
    /// Reads a file of series of equal length (BasicMotions): the header
    /// `cases,channels,steps,class names...`, then per case its class index and `C * L` values,
    /// channel-major.
    ///
    /// # Errors
    /// A header that does not announce `C` channels of `L` steps, another number of cases than
    /// announced, a line with another number of fields, a field that is not a number or a class
    /// index past the class names.
    pub fn parse_equal(text: &str) -> Result<Self, String> {
        Self::parse(text, false, Padding::End)
    }

    /// Reads a file of series of varying length (JapaneseVowels): the header
    /// `cases,channels,max_steps,class names...`, then per case its class index, its length `n`
    /// and `C * n` values, channel-major; each series is padded with zeros to `L` steps on the
    /// side `padding` says.
    ///
    /// # Errors
    /// As [`Series::parse_equal`], and also a header whose longest series exceeds `L`, or a
    /// length that is 0 or past `L`.
    pub fn parse_varying(text: &str, padding: Padding) -> Result<Self, String> {
        Self::parse(text, true, padding)
    }

    fn parse(text: &str, varying: bool, padding: Padding) -> Result<Self, String> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty());
        let header = match lines.next() {
            Some((_, line)) => parse_header(line)?,
            None => return Err("no header line".to_owned()),
        };
        if header.channels != C {
            return Err(format!("{} channels, expected {C}", header.channels));
        }
        if varying && header.steps > L {
            return Err(format!("series of up to {} steps, past {L}", header.steps));
        }
        if !varying && header.steps != L {
            return Err(format!("{} steps, expected {L}", header.steps));
        }
        let mut set = Self {
            inputs: Vec::with_capacity(header.cases),
            labels: Vec::with_capacity(header.cases),
            lengths: Vec::with_capacity(header.cases),
            padding,
            classes: header.classes,
        };
        for (number, line) in lines {
            let at = |message: String| format!("line {}: {message}", number + 1);
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let label: usize = parse_field(fields[0]).map_err(at)?;
            if label >= set.classes.len() {
                return Err(at(format!(
                    "class {label}, past the {} classes",
                    set.classes.len()
                )));
            }
            let (length, values) = if varying {
                let length: usize =
                    parse_field(fields.get(1).copied().unwrap_or("")).map_err(at)?;
                if length == 0 || length > L {
                    return Err(at(format!("a series of {length} steps, not 1 to {L}")));
                }
                (length, &fields[2.min(fields.len())..])
            } else {
                (L, &fields[1..])
            };
            if values.len() != C * length {
                return Err(at(format!(
                    "{} values, expected {C} channels x {length} steps",
                    values.len()
                )));
            }
            let mut input = [[0.0; L]; C];
            let offset = match padding {
                Padding::Start => L - length,
                Padding::End => 0,
            };
            for (channel, fields) in input.iter_mut().zip(values.chunks_exact(length)) {
                for (value, field) in channel[offset..].iter_mut().zip(fields) {
                    *value = parse_field(field).map_err(at)?;
                }
            }
            set.inputs.push(input);
            set.labels.push(label);
            set.lengths.push(length);
        }
        if set.len() != header.cases {
            return Err(format!(
                "{} cases, the header announces {}",
                set.len(),
                header.cases
            ));
        }
        Ok(set)
    }

    /// The number of cases.
    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    /// Whether there are no cases.
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    /// The steps of the window that hold case `case`'s real values (the rest is padding).
    pub fn steps(&self, case: usize) -> Range<usize> {
        let length = self.lengths[case];
        match self.padding {
            Padding::Start => L - length..L,
            Padding::End => 0..length,
        }
    }

    /// Each label as a one-hot target of `O` outputs.
    ///
    /// # Panics
    /// If a label is `O` or more.
    pub fn one_hot<const O: usize>(&self) -> Vec<[f64; O]> {
        self.labels
            .iter()
            .map(|&label| {
                let mut target = [0.0; O];
                target[label] = 1.0;
                target
            })
            .collect()
    }

    /// The inputs in `f32`, each value rounded to nearest.
    pub fn inputs_f32(&self) -> Vec<[[f32; L]; C]> {
        #[allow(clippy::cast_possible_truncation)] // rounding to f32 is the point
        self.inputs
            .iter()
            .map(|input| input.map(|channel| channel.map(|value| value as f32)))
            .collect()
    }
}

fn parse_header(line: &str) -> Result<Header, String> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() < 4 {
        return Err(format!(
            "header `{line}`: expected cases, channels, steps and class names"
        ));
    }
    let number = |index: usize| parse_field(fields[index]).map_err(|e| format!("header: {e}"));
    Ok(Header {
        cases: number(0)?,
        channels: number(1)?,
        steps: number(2)?,
        classes: fields[3..].iter().map(|&name| name.to_owned()).collect(),
    })
}

fn parse_field<T: std::str::FromStr<Err: std::fmt::Display>>(field: &str) -> Result<T, String> {
    field.parse().map_err(|error| format!("`{field}`: {error}"))
}

/// Per-channel mean and standard deviation over the real steps of one set's series (the training
/// split's; the padding is left out), applied to every set: the padding stays 0, which is then
/// the channel's training mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChannelStandardiser<const C: usize> {
    /// The mean of each channel.
    pub mean: [f64; C],
    /// The (population) standard deviation of each channel; 1 where a channel is constant.
    pub deviation: [f64; C],
}

impl<const C: usize> ChannelStandardiser<C> {
    /// Measures every real step of every case of `set`.
    ///
    /// # Panics
    /// If `set` has no cases.
    pub fn fit<const L: usize>(set: &Series<C, L>) -> Self {
        assert!(!set.is_empty(), "standardising needs cases");
        let steps: usize = set.lengths.iter().sum();
        #[allow(clippy::cast_precision_loss)] // data sets are far below 2^52 values
        let count = steps as f64;
        let mut mean = [0.0; C];
        for (case, input) in set.inputs.iter().enumerate() {
            for (sum, channel) in mean.iter_mut().zip(input) {
                *sum += channel[set.steps(case)].iter().sum::<f64>();
            }
        }
        let mean = mean.map(|sum| sum / count);
        let mut deviation = [0.0; C];
        for (case, input) in set.inputs.iter().enumerate() {
            for ((sum, channel), mean) in deviation.iter_mut().zip(input).zip(&mean) {
                for value in &channel[set.steps(case)] {
                    *sum += (value - mean) * (value - mean);
                }
            }
        }
        let deviation = deviation.map(|sum| {
            let deviation = (sum / count).sqrt();
            if deviation > 0.0 { deviation } else { 1.0 }
        });
        Self { mean, deviation }
    }

    /// Each real step of each channel minus the channel's mean, over its deviation; the padding
    /// stays 0.
    pub fn apply<const L: usize>(&self, set: &mut Series<C, L>) {
        for case in 0..set.len() {
            let steps = set.steps(case);
            for ((channel, mean), deviation) in set.inputs[case]
                .iter_mut()
                .zip(&self.mean)
                .zip(&self.deviation)
            {
                for value in &mut channel[steps.clone()] {
                    *value = (*value - mean) / deviation;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EQUAL: &str = "2,2,3,a,b\n1,1,2,3,4,5,6\n\n0,-1,-2,-3,-4,-5,-6e-1\n";
    const VARYING: &str = "3,2,4,x,y,z\n2,2,1,2,3,4\n0,4,1,2,3,4,5,6,7,8\n1,1,9,10\n";

    #[test]
    fn equal_series_read_channel_major() {
        let set = Series::<2, 3>::parse_equal(EQUAL).expect("valid");
        assert_eq!(
            set.inputs,
            [
                [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                [[-1.0, -2.0, -3.0], [-4.0, -5.0, -0.6]],
            ]
        );
        assert_eq!(set.labels, [1, 0]);
        assert_eq!(set.lengths, [3, 3]);
        assert_eq!(set.classes, ["a", "b"]);
        assert_eq!(set.one_hot::<2>(), [[0.0, 1.0], [1.0, 0.0]]);
    }

    #[test]
    fn varying_series_are_padded_on_the_side_asked() {
        let start = Series::<2, 5>::parse_varying(VARYING, Padding::Start).expect("valid");
        assert_eq!(
            start.inputs,
            [
                [[0.0, 0.0, 0.0, 1.0, 2.0], [0.0, 0.0, 0.0, 3.0, 4.0]],
                [[0.0, 1.0, 2.0, 3.0, 4.0], [0.0, 5.0, 6.0, 7.0, 8.0]],
                [[0.0, 0.0, 0.0, 0.0, 9.0], [0.0, 0.0, 0.0, 0.0, 10.0]],
            ]
        );
        assert_eq!(start.labels, [2, 0, 1]);
        assert_eq!(start.lengths, [2, 4, 1]);
        assert_eq!(start.steps(0), 3..5);
        let end = Series::<2, 5>::parse_varying(VARYING, Padding::End).expect("valid");
        assert_eq!(
            end.inputs[0],
            [[1.0, 2.0, 0.0, 0.0, 0.0], [3.0, 4.0, 0.0, 0.0, 0.0]]
        );
        assert_eq!(end.steps(1), 0..4);
    }

    #[test]
    fn malformed_files_are_errors() {
        let errors = [
            ("channels", Series::<3, 3>::parse_equal(EQUAL).err()),
            ("steps", Series::<2, 4>::parse_equal(EQUAL).err()),
            (
                "cases",
                Series::<2, 3>::parse_equal("2,2,3,a,b\n1,1,2,3,4,5,6\n").err(),
            ),
            (
                "values",
                Series::<2, 3>::parse_equal("1,2,3,a,b\n1,1,2,3,4,5\n").err(),
            ),
            (
                "class",
                Series::<2, 3>::parse_equal("1,2,3,a,b\n2,1,2,3,4,5,6\n").err(),
            ),
            (
                "number",
                Series::<2, 3>::parse_equal("1,2,3,a,b\n1,1,2,x,4,5,6\n").err(),
            ),
            ("no header", Series::<2, 3>::parse_equal("").err()),
            ("short header", Series::<2, 3>::parse_equal("0,2,3\n").err()),
            (
                "longer than L",
                Series::<2, 3>::parse_varying(VARYING, Padding::Start).err(),
            ),
            (
                "length 0",
                Series::<2, 5>::parse_varying("1,2,4,x\n0,0\n", Padding::Start).err(),
            ),
            (
                "no length",
                Series::<2, 5>::parse_varying("1,2,4,x\n0\n", Padding::Start).err(),
            ),
            (
                "length past L",
                Series::<2, 3>::parse_varying("1,2,3,x\n0,4,1,2,3,4,5,6,7,8\n", Padding::End).err(),
            ),
            (
                "values of a varying series",
                Series::<2, 5>::parse_varying("1,2,4,x\n0,2,1,2,3\n", Padding::Start).err(),
            ),
        ];
        for (what, error) in errors {
            assert!(error.is_some(), "{what}: parsed");
        }
        let error = Series::<2, 3>::parse_equal("1,2,3,a,b\n1,1,2,x,4,5,6\n").err();
        assert_eq!(error.as_deref(), Some("line 2: `x`: invalid float literal"));
    }

    #[test]
    fn standardising_ignores_the_padding() {
        let mut set = Series::<2, 5>::parse_varying(VARYING, Padding::Start).expect("valid");
        let standardiser = ChannelStandardiser::fit(&set);
        // channel 0: 1, 2, 1, 2, 3, 4, 9 (mean 22 / 7); channel 1: 3, 4, 5, 6, 7, 8, 10 (mean 43 / 7)
        assert!((standardiser.mean[0] - 22.0 / 7.0).abs() < 1e-12);
        assert!((standardiser.mean[1] - 43.0 / 7.0).abs() < 1e-12);
        standardiser.apply(&mut set);
        assert_eq!(&set.inputs[0][0][..3], &[0.0; 3]);
        assert_eq!(set.inputs[2][1][..4], [0.0; 4]);
        let again = ChannelStandardiser::fit(&set);
        for channel in 0..2 {
            assert!(again.mean[channel].abs() < 1e-12);
            assert!((again.deviation[channel] - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn the_committed_files_parse() {
        let train = Series::<6, 100>::parse_equal(BASIC_MOTIONS_TRAIN).expect("BasicMotions");
        let test = Series::<6, 100>::parse_equal(BASIC_MOTIONS_TEST).expect("BasicMotions");
        assert_eq!((train.len(), test.len()), (40, 40));
        assert_eq!(
            train.classes,
            ["Badminton", "Running", "Standing", "Walking"]
        );
        assert_eq!(train.inputs[0][0][..3], [0.079_106, 0.079_106, -0.903_497]);
        let train = Series::<12, 29>::parse_varying(JAPANESE_VOWELS_TRAIN, Padding::Start)
            .expect("JapaneseVowels");
        let test = Series::<12, 29>::parse_varying(JAPANESE_VOWELS_TEST, Padding::Start)
            .expect("JapaneseVowels");
        assert_eq!((train.len(), test.len()), (270, 370));
        assert_eq!(train.classes.len(), 9);
        assert_eq!(train.lengths.iter().max(), Some(&26));
        assert_eq!(test.lengths.iter().max(), Some(&29));
        assert_eq!(test.lengths.iter().min(), Some(&7));
        // the first training case: 20 steps, so 9 of padding, then 1.860936, 1.891651, ...
        assert_eq!(train.lengths[0], 20);
        assert_eq!(train.inputs[0][0][8..11], [0.0, 1.860_936, 1.891_651]);
        for labels in [&train.labels, &test.labels] {
            for class in 0..9 {
                assert!(labels.contains(&class));
            }
        }
    }
}
