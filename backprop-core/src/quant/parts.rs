//! The int8 form of a net as parts that code written once for every net can fill:
//! [`Int8Network`], which `network!` implements for every `{Name}Int8`, and [`Int8Layer`], its
//! layers' integer tensors as flat slices. A reader of other formats (`backprop_core::tflite`)
//! sets a file's own codes, scales and zero points through them.

use super::{
    Clamp, Float, Quantization, QuantizedAvgPool1d, QuantizedConv1d, QuantizedDense,
    QuantizedDepthwiseConv1d, QuantizedGlobalAvgPool1d, QuantizedMaxPool1d, Table,
};
use crate::Network;

/// Implemented by `network!` for the `{Name}Int8` of every net with `quantize: int8`.
pub trait Int8Network: Sized {
    /// The float net it is the int8 form of.
    type Float: Network<Scalar: Float>;

    /// Every code, bias, multiplier and zero point 0, every scale 0: a net to fill.
    fn zeroed() -> Self;

    /// How the inputs are stored, and how the outputs are (for an output layer whose int8 form
    /// returns logits, how the logits are).
    #[allow(clippy::type_complexity)] // two mutable borrows of the float net's quantisations
    fn quantizations_mut(
        &mut self,
    ) -> (
        &mut Quantization<<Self::Float as Network>::Scalar>,
        &mut Quantization<<Self::Float as Network>::Scalar>,
    );

    /// Layer `index` (of the float net's [`Network::LAYERS`]); `None` past the last one.
    fn layer_mut(&mut self, index: usize) -> Option<&mut dyn Int8Layer>;
}

/// An int8 layer's integer tensors.
pub trait Int8Layer {
    /// The layer with every integer 0.
    fn zeroed() -> Self
    where
        Self: Sized;

    /// Its tensors, to fill.
    fn parts_mut(&mut self) -> Int8Parts<'_>;
}

/// The tensors of an int8 layer, as flat slices in its own layout.
#[derive(Debug)]
pub enum Int8Parts<'a> {
    /// A layer with weights: dense, conv1d or depthwise conv1d.
    Weighted(Weighted<'a>),
    /// A pool: nothing to fill.
    Pool,
}

/// The tensors of an int8 layer with weights (see [`QuantizedDense`], [`QuantizedConv1d`],
/// [`QuantizedDepthwiseConv1d`]).
#[derive(Debug)]
pub struct Weighted<'a> {
    /// The weight codes, row-major in the layer's layout (`[O][I]`, `[OUT][IN][K]`, `[C][K]`).
    pub weights: &'a mut [i8],
    /// Each output channel's bias, the input's zero point folded in.
    pub bias: &'a mut [i32],
    /// Each output channel's multiplier mantissa.
    pub multiplier: &'a mut [i32],
    /// Each output channel's power of two.
    pub shift: &'a mut [i8],
    /// What a padded tap reads (a convolution's), `None` for a dense layer.
    pub input_zero_point: Option<&'a mut i8>,
    /// The code of 0 in the requantised result.
    pub zero_point: &'a mut i8,
    /// Its activation.
    pub activation: ActivationMut<'a>,
}

/// An int8 layer's activation, to fill.
#[derive(Debug)]
pub enum ActivationMut<'a> {
    /// `identity` and `relu`: a clamp.
    Clamp(&'a mut Clamp),
    /// Any other: a table.
    Table(&'a mut Table),
}

/// An activation an int8 layer can be filled with.
pub trait ActivationParts {
    /// The activation of a zeroed layer.
    const ZERO: Self;
    /// It, to fill.
    fn activation_mut(&mut self) -> ActivationMut<'_>;
}

impl ActivationParts for Clamp {
    const ZERO: Self = Clamp { min: 0, max: 0 };
    fn activation_mut(&mut self) -> ActivationMut<'_> {
        ActivationMut::Clamp(self)
    }
}

impl ActivationParts for Table {
    const ZERO: Self = Table { output: [0; 256] };
    fn activation_mut(&mut self) -> ActivationMut<'_> {
        ActivationMut::Table(self)
    }
}

impl<const I: usize, const O: usize, A: ActivationParts> Int8Layer for QuantizedDense<I, O, A> {
    fn zeroed() -> Self {
        Self {
            weights: [[0; I]; O],
            bias: [0; O],
            multiplier: [0; O],
            shift: [0; O],
            zero_point: 0,
            activation: A::ZERO,
        }
    }

    fn parts_mut(&mut self) -> Int8Parts<'_> {
        Int8Parts::Weighted(Weighted {
            weights: self.weights.as_flattened_mut(),
            bias: &mut self.bias,
            multiplier: &mut self.multiplier,
            shift: &mut self.shift,
            input_zero_point: None,
            zero_point: &mut self.zero_point,
            activation: self.activation.activation_mut(),
        })
    }
}

impl<const IN: usize, const OUT: usize, const K: usize, const S: usize, const P: usize, A> Int8Layer
    for QuantizedConv1d<IN, OUT, K, S, P, A>
where
    A: ActivationParts,
{
    fn zeroed() -> Self {
        Self {
            weights: [[[0; K]; IN]; OUT],
            bias: [0; OUT],
            multiplier: [0; OUT],
            shift: [0; OUT],
            input_zero_point: 0,
            zero_point: 0,
            activation: A::ZERO,
        }
    }

    fn parts_mut(&mut self) -> Int8Parts<'_> {
        Int8Parts::Weighted(Weighted {
            weights: self.weights.as_flattened_mut().as_flattened_mut(),
            bias: &mut self.bias,
            multiplier: &mut self.multiplier,
            shift: &mut self.shift,
            input_zero_point: Some(&mut self.input_zero_point),
            zero_point: &mut self.zero_point,
            activation: self.activation.activation_mut(),
        })
    }
}

impl<const C: usize, const K: usize, const S: usize, const P: usize, A> Int8Layer
    for QuantizedDepthwiseConv1d<C, K, S, P, A>
where
    A: ActivationParts,
{
    fn zeroed() -> Self {
        Self {
            weights: [[0; K]; C],
            bias: [0; C],
            multiplier: [0; C],
            shift: [0; C],
            input_zero_point: 0,
            zero_point: 0,
            activation: A::ZERO,
        }
    }

    fn parts_mut(&mut self) -> Int8Parts<'_> {
        Int8Parts::Weighted(Weighted {
            weights: self.weights.as_flattened_mut(),
            bias: &mut self.bias,
            multiplier: &mut self.multiplier,
            shift: &mut self.shift,
            input_zero_point: Some(&mut self.input_zero_point),
            zero_point: &mut self.zero_point,
            activation: self.activation.activation_mut(),
        })
    }
}

macro_rules! pool_parts {
    ($($pool:ident),*) => {$(
        impl<const N: usize> Int8Layer for $pool<N> {
            fn zeroed() -> Self {
                Self
            }

            fn parts_mut(&mut self) -> Int8Parts<'_> {
                Int8Parts::Pool
            }
        }
    )*};
}

pool_parts!(QuantizedMaxPool1d, QuantizedAvgPool1d);

impl Int8Layer for QuantizedGlobalAvgPool1d {
    fn zeroed() -> Self {
        Self
    }

    fn parts_mut(&mut self) -> Int8Parts<'_> {
        Int8Parts::Pool
    }
}

/// A [`Quantization`] of scale 0 and zero point 0, for [`Int8Network::zeroed`].
#[must_use]
pub fn zero_quantization<T: Float>() -> Quantization<T> {
    Quantization {
        scale: T::from_f64(0.0),
        zero_point: 0,
    }
}
