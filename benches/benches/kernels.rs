//! The layer kernels of `backprop_core::Dense` against the best plain Rust for the same work and
//! against a GEMM, in one run:
//!
//! ```sh
//! cargo bench -p backprop-benches --bench kernels                                   # default target
//! RUSTFLAGS="-C target-cpu=native" cargo bench -p backprop-benches --bench kernels  # this CPU's SIMD
//! ```
//!
//! For the 784-128 and 128-10 layers, `f32` and `f64`, one sample and 64: `forward` (the
//! pre-activations), `backward` (the upstream slopes) and `gradient` (one batch's gradient added
//! to a running sum). Each against `hand::canonical` (plain Rust in the same summation order,
//! the same bits: one row at a time, and four rows at a time) and against `matrixmultiply`'s
//! sgemm/dgemm (through `ndarray::linalg::general_mat_mul`; its own order, its FMA where the CPU
//! has one). `flop_bound` (`flop_bound/mod.rs`) times the machine's AVX2 peak without and with
//! FMA.

#![allow(
    clippy::wildcard_imports,
    reason = "divan groups benches by module; each module uses its parent's items"
)]

use backprop_benches::Rng;
use backprop_benches::hand::canonical;
use backprop_core::{Dense, Scalar};
use divan::{Bencher, black_box};
use ndarray::linalg::general_mat_mul;
use ndarray::{ArrayView2, ArrayViewMut2};

fn main() {
    println!(
        "compile-time target features: avx2 {}, fma {}; AVX2 detected at run time: {}",
        cfg!(target_feature = "avx2"),
        cfg!(target_feature = "fma"),
        std::is_x86_feature_detected!("avx2"),
    );
    divan::main();
}

/// A layer, its inputs and its deltas.
type Case<T, const I: usize, const O: usize> = (Box<Dense<T, I, O>>, Vec<[T; I]>, Vec<[T; O]>);

/// A layer, `batch` inputs and `batch` deltas, uniform in `[-1, 1)`.
fn case<T: Scalar, const I: usize, const O: usize>(batch: usize) -> Case<T, I, O> {
    let mut rng = Rng::new(7);
    let mut draw = || T::from_f64(f64::from(rng.uniform()) * 2.0 - 1.0);
    let mut layer = Box::new(Dense::ZERO);
    for weight in layer.weights.as_flattened_mut() {
        *weight = draw();
    }
    for bias in &mut layer.bias {
        *bias = draw();
    }
    let inputs = (0..batch)
        .map(|_| core::array::from_fn(|_| draw()))
        .collect();
    let deltas = (0..batch)
        .map(|_| core::array::from_fn(|_| draw()))
        .collect();
    (layer, inputs, deltas)
}

/// `general_mat_mul` for `f32` and `f64`.
trait Gemm: Scalar + ndarray::LinalgScalar {}
impl Gemm for f32 {}
impl Gemm for f64 {}

/// `rows x columns` of `data`, row-major.
fn view<T>(data: &[T], rows: usize, columns: usize) -> ArrayView2<'_, T> {
    ArrayView2::from_shape((rows, columns), data).expect("the shape of the data")
}

fn view_mut<T>(data: &mut [T], rows: usize, columns: usize) -> ArrayViewMut2<'_, T> {
    ArrayViewMut2::from_shape((rows, columns), data).expect("the shape of the data")
}

fn forward<T: Gemm, const I: usize, const O: usize>(bencher: Bencher, batch: usize, how: &str) {
    let (layer, inputs, _) = case::<T, I, O>(batch);
    let mut z = vec![[T::ZERO; O]; batch];
    match how {
        "kernel" if batch == 1 => {
            bencher.bench_local(|| black_box(&layer).pre_activation(black_box(&inputs[0])));
        }
        "kernel" => bencher.bench_local(|| {
            black_box(&layer).pre_activation_batch(black_box(&inputs), &mut z);
        }),
        "hand_per_row" => bencher.bench_local(|| {
            let layer = black_box(&layer);
            for (x, z) in black_box(&inputs).iter().zip(&mut z) {
                canonical::affine_per_row(&layer.weights, &layer.bias, x, z);
            }
        }),
        "hand_blocked" => bencher.bench_local(|| {
            let layer = black_box(&layer);
            for (x, z) in black_box(&inputs).iter().zip(&mut z) {
                canonical::affine_blocked(&layer.weights, &layer.bias, x, z);
            }
        }),
        _ => bencher.bench_local(|| {
            // Z = X W^T + b: the bias rows first, then C = 1 * A B + 1 * C.
            let layer = black_box(&layer);
            z.fill(layer.bias);
            let x = view(black_box(&inputs).as_flattened(), batch, I);
            let w = view(layer.weights.as_flattened(), O, I);
            let mut c = view_mut(z.as_flattened_mut(), batch, O);
            general_mat_mul(T::ONE, &x, &w.t(), T::ONE, &mut c);
        }),
    }
}

fn backward<T: Gemm, const I: usize, const O: usize>(bencher: Bencher, batch: usize, how: &str) {
    let (layer, _, deltas) = case::<T, I, O>(batch);
    let mut up = vec![[T::ZERO; I]; batch];
    match how {
        "kernel" if batch == 1 => {
            bencher.bench_local(|| black_box(&layer).back_propagate(black_box(&deltas[0])));
        }
        "kernel" => bencher.bench_local(|| {
            black_box(&layer).back_propagate_batch(black_box(&deltas), &mut up);
        }),
        "hand" => bencher.bench_local(|| {
            let layer = black_box(&layer);
            for (d, up) in black_box(&deltas).iter().zip(&mut up) {
                canonical::back(&layer.weights, d, up);
            }
        }),
        _ => bencher.bench_local(|| {
            // U = D W.
            let d = view(black_box(&deltas).as_flattened(), batch, O);
            let w = view(black_box(&layer).weights.as_flattened(), O, I);
            let mut c = view_mut(up.as_flattened_mut(), batch, I);
            general_mat_mul(T::ONE, &d, &w, T::ZERO, &mut c);
        }),
    }
}

fn gradient<T: Gemm, const I: usize, const O: usize>(bencher: Bencher, batch: usize, how: &str) {
    let (mut gradient, inputs, deltas) = case::<T, I, O>(batch);
    match how {
        "kernel" => bencher.bench_local(|| {
            black_box(&mut gradient).add_gradient_batch(black_box(&deltas), black_box(&inputs));
        }),
        "hand" => bencher.bench_local(|| {
            let g = black_box(&mut gradient);
            for (d, x) in black_box(&deltas).iter().zip(black_box(&inputs)) {
                canonical::accumulate(&mut g.weights, &mut g.bias, d, x);
            }
        }),
        _ => bencher.bench_local(|| {
            // G += D^T X, and the biases by hand.
            let g = black_box(&mut gradient);
            let d = view(black_box(&deltas).as_flattened(), batch, O);
            let x = view(black_box(&inputs).as_flattened(), batch, I);
            let mut c = view_mut(g.weights.as_flattened_mut(), O, I);
            general_mat_mul(T::ONE, &d.t(), &x, T::ONE, &mut c);
            for d in &deltas {
                for (b, &d) in g.bias.iter_mut().zip(d) {
                    *b += d;
                }
            }
        }),
    }
}

macro_rules! layer {
    ($name:ident: $t:ty, $inputs:literal x $outputs:literal) => {
        mod $name {
            use super::*;

            #[divan::bench(args = [1, 64])]
            fn forward_kernel(bencher: Bencher, batch: usize) {
                forward::<$t, $inputs, $outputs>(bencher, batch, "kernel");
            }

            #[divan::bench(args = [1, 64])]
            fn forward_hand_per_row(bencher: Bencher, batch: usize) {
                forward::<$t, $inputs, $outputs>(bencher, batch, "hand_per_row");
            }

            #[divan::bench(args = [1, 64])]
            fn forward_hand_blocked(bencher: Bencher, batch: usize) {
                forward::<$t, $inputs, $outputs>(bencher, batch, "hand_blocked");
            }

            #[divan::bench(args = [1, 64])]
            fn forward_gemm(bencher: Bencher, batch: usize) {
                forward::<$t, $inputs, $outputs>(bencher, batch, "gemm");
            }

            #[divan::bench(args = [1, 64])]
            fn backward_kernel(bencher: Bencher, batch: usize) {
                backward::<$t, $inputs, $outputs>(bencher, batch, "kernel");
            }

            #[divan::bench(args = [1, 64])]
            fn backward_hand(bencher: Bencher, batch: usize) {
                backward::<$t, $inputs, $outputs>(bencher, batch, "hand");
            }

            #[divan::bench(args = [1, 64])]
            fn backward_gemm(bencher: Bencher, batch: usize) {
                backward::<$t, $inputs, $outputs>(bencher, batch, "gemm");
            }

            #[divan::bench(args = [1, 64])]
            fn gradient_kernel(bencher: Bencher, batch: usize) {
                gradient::<$t, $inputs, $outputs>(bencher, batch, "kernel");
            }

            #[divan::bench(args = [1, 64])]
            fn gradient_hand(bencher: Bencher, batch: usize) {
                gradient::<$t, $inputs, $outputs>(bencher, batch, "hand");
            }

            #[divan::bench(args = [1, 64])]
            fn gradient_gemm(bencher: Bencher, batch: usize) {
                gradient::<$t, $inputs, $outputs>(bencher, batch, "gemm");
            }
        }
    };
}

layer!(f32_784_128: f32, 784 x 128);
layer!(f32_128_10: f32, 128 x 10);
layer!(f64_784_128: f64, 784 x 128);
layer!(f64_128_10: f64, 128 x 10);

mod flop_bound;
