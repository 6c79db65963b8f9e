//! Each op of the program per scalar: the activations and slopes here, a layer's own ops by its
//! kind, the loss and output deltas by the output rule ([`super::output`]).

use super::{Op, Program, ValueId};
use crate::derive::{Equation, Expr, Function, Quantity, times, value};
use crate::layers::Io;
use crate::model::{Index, Shape};

impl Program<'_> {
    /// The operands of a layer's op, for its kind.
    pub(crate) fn io(&self, layer: usize) -> Io<'_> {
        let values = &self.layers[layer];
        Io {
            layer,
            input: values.input,
            input_shape: self.input_shape(layer),
            output: values.written(),
            delta: Some(values.delta),
            saved: &values.saved,
        }
    }

    /// Every index of a layer's output, row-major.
    pub(crate) fn indices(shape: Shape) -> impl Iterator<Item = Index> {
        (0..shape.len()).map(move |flat| shape.unflatten(flat))
    }

    /// A forward op: the layer's kind writes its equations.
    pub(crate) fn forward_scalars(&self, op: &Op) -> Vec<Equation> {
        let Op::Forward { layer, .. } = op else {
            return Vec::new();
        };
        self.network.layers[*layer]
            .kind
            .forward_scalars(&self.io(*layer))
    }

    /// `a_j = act(z_j)` node by node (just `z_j` for the identity), or the whole layer at once
    /// for a layer-wide activation.
    pub(crate) fn activation_scalars(&self, layer: usize, z: ValueId, a: ValueId) -> Vec<Equation> {
        let spec = &self.network.layers[layer];
        let shape = spec.output;
        let Some(activation) = spec.activation() else {
            return Vec::new();
        };
        if activation.is_layer_wide() {
            return vec![Equation {
                defines: Self::indices(shape)
                    .map(|index| Quantity::Value { value: a, index })
                    .collect(),
                value: Expr::Call(
                    Function::ActivateLayer,
                    Self::indices(shape).map(|index| value(z, index)).collect(),
                ),
            }];
        }
        Self::indices(shape)
            .map(|index| {
                let pre_activation = value(z, index);
                Equation::new(
                    Quantity::Value { value: a, index },
                    if activation.is_unchanged() {
                        pre_activation
                    } else {
                        Expr::Call(Function::Activate(layer), vec![pre_activation])
                    },
                )
            })
            .collect()
    }

    /// A layer's backward pass: its own equations, and the slope of each input.
    pub(crate) fn backward_scalars(&self, layer: usize) -> (Vec<Equation>, Vec<Expr>) {
        let backward = self.network.layers[layer]
            .kind
            .backward_scalars(&self.io(layer));
        (backward.steps, backward.input)
    }

    /// `delta_j = act'(z_j) * upstream_j` for each node of a layer below another, or the
    /// upstream alone without an activation or for the identity.
    pub(crate) fn slope_scalars(
        &self,
        layer: usize,
        delta: ValueId,
        upstream: Vec<Expr>,
    ) -> Vec<Equation> {
        let shape = self.network.layers[layer].output;
        Self::indices(shape)
            .zip(upstream)
            .map(|(index, upstream)| {
                Equation::new(
                    Quantity::Value {
                        value: delta,
                        index,
                    },
                    self.times_slope(layer, index, upstream),
                )
            })
            .collect()
    }

    /// `act'(z) * upstream` at `index` of a layer, or `upstream` when its slope is 1.
    pub(crate) fn times_slope(&self, layer: usize, index: Index, upstream: Expr) -> Expr {
        let values = &self.layers[layer];
        let (false, Some(z)) = (self.network.layers[layer].is_unchanged(), values.z) else {
            return upstream;
        };
        let arguments = vec![value(z, index), value(values.a, index)];
        times(Expr::Call(Function::Slope(layer), arguments), upstream)
    }

    /// A gradient op: the layer's kind writes each parameter's closed form.
    pub(crate) fn gradient_scalars(&self, op: &Op) -> Vec<Vec<Expr>> {
        let Op::Gradient { layer, .. } = op else {
            return Vec::new();
        };
        self.network.layers[*layer]
            .kind
            .gradient_scalars(&self.io(*layer))
    }
}
