//! One measurement run: instructions per inference from the SysTick timer under QEMU's `-icount`,
//! peak stack by painting, and the result computed on the device: for the sine net
//! ([`report`]) the error against `sin x` on a fixed grid, for a classifier
//! ([`report_classifier`]) its accuracy over the test recordings the firmware carries and its
//! agreement with the host's outputs for them.
//!
//! With `-icount shift=0` QEMU advances its virtual clock by exactly 1 ns per instruction, and
//! SysTick (clocked by the core clock) counts that clock; `asm::delay(n)`, a loop of exactly
//! `2 (n + 1)` instructions (`subs`, `bne`), calibrates ticks to instructions on every board, so
//! no board's clock frequency is assumed. The loop around each inference is measured with an
//! identity function in its place and subtracted.

use core::f32::consts::TAU;
use core::hint::black_box;
use cortex_m::asm;
use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_semihosting::{debug, hprintln};

/// The grid: `x_k = 2 pi k / GRID`, `k = 0..GRID`, the TFLM sine model's input range.
pub const GRID: u16 = 1_000;
/// Iterations of the calibration loop (2 instructions each).
const CALIBRATION: u32 = 100_000;
/// SysTick's counter is 24 bits wide: each timed section must stay under this many ticks.
const SYSTICK_MAX: u32 = 0x00FF_FFFF;

/// The grid's `k`-th input.
#[inline(never)]
pub fn grid_x(k: u16) -> f32 {
    TAU * f32::from(k) / f32::from(GRID)
}

/// Stands for an inference in the loop that measures the loop's own cost.
#[inline(never)]
fn identity(x: f32) -> f32 {
    x
}

/// Measures `infer`, prints `name=value` lines for `measure.sh` and exits QEMU. `infer` must not be
/// inlined into the loops (a function pointer is not), so each loop costs the same around it.
///
/// # Panics
/// If the core peripherals were taken before.
pub fn report(form: &str, infer: fn(f32) -> f32) -> ! {
    let mut peripherals = cortex_m::Peripherals::take().expect("taken once");
    let timer = &mut peripherals.SYST;
    timer.set_clock_source(SystClkSource::Core);
    timer.set_reload(SYSTICK_MAX);
    timer.clear_current();
    timer.enable_counter();

    let calibration = ticks(timer, || asm::delay(black_box(CALIBRATION)));
    let around = ticks(timer, || grid_loop(identity));
    let total = ticks(timer, || grid_loop(infer));
    let stack = crate::stack::peak(|| {
        black_box(infer(black_box(grid_x(GRID / 4))));
    });
    let (max_error, squared_error) = errors(infer);

    hprintln!("form={}", form);
    hprintln!("calibration_instructions={}", 2 * (CALIBRATION + 1));
    hprintln!("calibration_ticks={}", calibration);
    hprintln!("loop_ticks={}", around);
    hprintln!("inference_ticks={}", total);
    hprintln!("inferences={}", GRID);
    hprintln!("stack_bytes={}", stack);
    hprintln!("max_error_e6={}", micro(max_error));
    hprintln!(
        "mean_squared_error_e9={}",
        micro(squared_error / f32::from(GRID) * 1e3)
    );
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        asm::bkpt();
    }
}

/// One inference per grid point, results discarded through `black_box`.
#[inline(never)]
fn grid_loop(infer: fn(f32) -> f32) {
    for k in 0..GRID {
        black_box(infer(black_box(grid_x(k))));
    }
}

/// The SysTick ticks `section` takes (the counter counts down and wraps at 24 bits).
fn ticks(timer: &mut SYST, section: impl FnOnce()) -> u32 {
    timer.clear_current();
    let start = SYST::get_current();
    section();
    let end = SYST::get_current();
    let elapsed = start.wrapping_sub(end) & SYSTICK_MAX;
    assert!(
        !timer.has_wrapped(),
        "a timed section overran SysTick's 24 bits"
    );
    elapsed
}

/// The largest `|f(x) - sin x|` over the grid and the sum of the squared errors.
fn errors(infer: fn(f32) -> f32) -> (f32, f32) {
    let (mut max_error, mut squared_error) = (0.0_f32, 0.0_f32);
    for k in 0..GRID {
        let x = grid_x(k);
        let error = (infer(x) - libm::sinf(x)).abs();
        max_error = max_error.max(error);
        squared_error += error * error;
    }
    (max_error, squared_error)
}

/// `value * 1e6`, rounded, as an integer: printed without the float formatter in flash.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // errors are small and positive
fn micro(value: f32) -> u32 {
    (value * 1e6 + 0.5) as u32
}

/// A form of a classifier to measure: the recordings it classifies, their labels, the host's
/// outputs for them, and the two steps of a classification.
pub struct Classifier<S: 'static, I, T: 'static, const N: usize> {
    /// The form's name in the table.
    pub form: &'static str,
    /// The recordings, in flash.
    pub samples: &'static [S],
    /// The class of each recording.
    pub labels: &'static [u8],
    /// The host's outputs for each recording.
    pub host: &'static [[T; N]],
    /// Makes the inference's input of a recording (a copy into RAM, or quantisation): not counted
    /// in the instructions per inference.
    pub prepare: fn(&S) -> I,
    /// The inference measured: one score per class, the largest (the first on a tie) the class.
    pub infer: fn(&I) -> [T; N],
}

/// A score that can be compared with the host's bit for bit.
pub trait Score: Copy + Default + PartialOrd {
    /// Whether `self` and `other` have the same bits.
    fn same(self, other: Self) -> bool;
}

impl Score for f32 {
    fn same(self, other: Self) -> bool {
        self.to_bits() == other.to_bits()
    }
}

impl Score for i8 {
    fn same(self, other: Self) -> bool {
        self == other
    }
}

/// Measures `classifier`, prints `name=value` lines for `measure.sh` and exits QEMU: instructions
/// per inference (the loop over the recordings, each prepared then classified, less the same loop
/// with `no_inference` in place of the inference), the peak stack of one classification (its
/// prepared input included), and the number of recordings classified as labelled, classified as
/// the host classifies them, and with the host's outputs bit for bit.
///
/// # Panics
/// If the core peripherals were taken before, or the recordings, labels and host outputs differ
/// in number.
pub fn report_classifier<S, I, T: Score, const N: usize>(classifier: &Classifier<S, I, T, N>) -> ! {
    let Classifier {
        form,
        samples,
        labels,
        host,
        prepare,
        infer,
    } = *classifier;
    assert!(
        samples.len() == labels.len() && samples.len() == host.len(),
        "a label and the host's outputs for each recording"
    );
    let mut peripherals = cortex_m::Peripherals::take().expect("taken once");
    let timer = &mut peripherals.SYST;
    timer.set_clock_source(SystClkSource::Core);
    timer.set_reload(SYSTICK_MAX);
    timer.clear_current();
    timer.enable_counter();

    let calibration = ticks(timer, || asm::delay(black_box(CALIBRATION)));
    let around = ticks(timer, || {
        samples_loop(samples, prepare, no_inference::<I, T, N>)
    });
    let total = ticks(timer, || samples_loop(samples, prepare, infer));
    let stack = crate::stack::peak(|| classify(&samples[0], prepare, infer));
    let (mut correct, mut same_class, mut same_bits) = (0_u32, 0_u32, 0_u32);
    for ((sample, &label), host) in samples.iter().zip(labels).zip(host) {
        let output = infer(&prepare(sample));
        let class = argmax(&output);
        correct += u32::from(usize::from(label) == class);
        same_class += u32::from(argmax(host) == class);
        same_bits += u32::from(output.iter().zip(host).all(|(&a, &b)| a.same(b)));
    }

    hprintln!("form={}", form);
    hprintln!("calibration_instructions={}", 2 * (CALIBRATION + 1));
    hprintln!("calibration_ticks={}", calibration);
    hprintln!("loop_ticks={}", around);
    hprintln!("inference_ticks={}", total);
    hprintln!("inferences={}", samples.len());
    hprintln!("stack_bytes={}", stack);
    hprintln!("correct={}", correct);
    hprintln!("same_class_as_host={}", same_class);
    hprintln!("same_bits_as_host={}", same_bits);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        asm::bkpt();
    }
}

/// Stands for an inference in the loop that measures the loop's own cost (and the preparation's).
#[inline(never)]
fn no_inference<I, T: Score, const N: usize>(input: &I) -> [T; N] {
    black_box(input);
    [T::default(); N]
}

/// Stands for a reconstruction in the loop that measures the loop's own cost.
#[inline(never)]
fn no_reconstruction<I>(input: &I) {
    black_box(input);
}

/// Each recording prepared, then one inference on it, the result discarded through `black_box`.
#[inline(never)]
fn samples_loop<S, I, O>(samples: &[S], prepare: fn(&S) -> I, infer: fn(&I) -> O) {
    for sample in samples {
        let input = prepare(sample);
        black_box(infer(black_box(&input)));
    }
}

/// One recording prepared and classified, in a frame of its own (below [`crate::stack::peak`]'s,
/// so that the painted stack holds the prepared input too).
#[inline(never)]
fn classify<S, I, O>(sample: &S, prepare: fn(&S) -> I, infer: fn(&I) -> O) {
    let input = prepare(sample);
    black_box(infer(black_box(&input)));
}

/// The index of the largest score, the first on a tie.
fn argmax<T: PartialOrd>(scores: &[T]) -> usize {
    let mut best = 0;
    for (index, score) in scores.iter().enumerate() {
        if *score > scores[best] {
            best = index;
        }
    }
    best
}

/// A form of the anomaly-detection autoencoder to measure: the frames' input codes, the host's
/// output codes for them, and the steps of one reconstruction.
pub struct Reconstruction<I, O> {
    /// The form's name in the table.
    pub form: &'static str,
    /// The frames' input codes, in flash.
    pub inputs: &'static [[i8; 640]],
    /// The host's output codes for each frame.
    pub host: &'static [[i8; 640]],
    /// Makes the inference's input of a frame's codes (a copy, or the form's own buffer type): not
    /// counted in the instructions per inference.
    pub prepare: fn(&[i8; 640]) -> I,
    /// The inference measured.
    pub infer: fn(&I) -> O,
    /// The output as 640 codes, to compare with the host's (not counted).
    pub codes: fn(&O) -> [i8; 640],
}

/// Measures `reconstruction` as [`report_classifier`] does a classifier, and prints how its output
/// codes compare with the host's: the frames whose 640 codes are all the host's, the codes that
/// differ over all frames, and the largest difference of a code.
///
/// # Panics
/// If the core peripherals were taken before, or the inputs and the host's outputs differ in
/// number.
pub fn report_reconstruction<I, O>(reconstruction: &Reconstruction<I, O>) -> ! {
    let Reconstruction {
        form,
        inputs,
        host,
        prepare,
        infer,
        codes,
    } = *reconstruction;
    assert!(
        inputs.len() == host.len(),
        "the host's outputs for each frame"
    );
    let mut peripherals = cortex_m::Peripherals::take().expect("taken once");
    let timer = &mut peripherals.SYST;
    timer.set_clock_source(SystClkSource::Core);
    timer.set_reload(SYSTICK_MAX);
    timer.clear_current();
    timer.enable_counter();

    let calibration = ticks(timer, || asm::delay(black_box(CALIBRATION)));
    let around = ticks(timer, || {
        samples_loop(inputs, prepare, no_reconstruction::<I>);
    });
    let total = ticks(timer, || samples_loop(inputs, prepare, infer));
    let stack = crate::stack::peak(|| classify(&inputs[0], prepare, infer));
    let (mut same_bits, mut differing, mut largest) = (0_u32, 0_u32, 0_i32);
    for (input, host) in inputs.iter().zip(host) {
        let output = codes(&infer(&prepare(input)));
        let mut same = true;
        for (&ours, &theirs) in output.iter().zip(host) {
            let difference = (i32::from(ours) - i32::from(theirs)).abs();
            if difference != 0 {
                same = false;
                differing += 1;
                largest = largest.max(difference);
            }
        }
        same_bits += u32::from(same);
    }

    hprintln!("form={}", form);
    hprintln!("calibration_instructions={}", 2 * (CALIBRATION + 1));
    hprintln!("calibration_ticks={}", calibration);
    hprintln!("loop_ticks={}", around);
    hprintln!("inference_ticks={}", total);
    hprintln!("inferences={}", inputs.len());
    hprintln!("stack_bytes={}", stack);
    hprintln!("same_bits_as_host={}", same_bits);
    hprintln!("codes_differing={}", differing);
    hprintln!("largest_code_difference={}", largest);
    debug::exit(debug::EXIT_SUCCESS);
    loop {
        asm::bkpt();
    }
}
