//! One SGD step of the notebook's 2-2-1 ReLU net (f64), printed: candle.

use candle_core::{Device, Result, Tensor, Var};
use candle_nn::{Linear, Module, Optimizer, SGD};

fn main() -> Result<()> {
    let dev = Device::Cpu;
    let w1 = Var::new(&[[1.0f64, 1.0], [0.5, -0.5]], &dev)?;
    let b1 = Var::new(&[0.5f64, 0.0], &dev)?;
    let w2 = Var::new(&[[1.0f64, 1.0]], &dev)?;
    let b2 = Var::new(&[0.5f64], &dev)?;
    let hidden = Linear::new(w1.as_tensor().clone(), Some(b1.as_tensor().clone()));
    let output = Linear::new(w2.as_tensor().clone(), Some(b2.as_tensor().clone()));
    let mut sgd = SGD::new(vec![w1.clone(), b1.clone(), w2.clone(), b2.clone()], 0.01)?;
    let input = Tensor::new(&[[1.0f64, 0.0]], &dev)?;
    let target = Tensor::new(&[[2.0f64]], &dev)?;
    let y = output.forward(&hidden.forward(&input)?.relu()?)?.relu()?;
    let loss = (y - target)?.sqr()?.sum_all()?;
    println!("loss {}", loss.to_scalar::<f64>()?);
    sgd.backward_step(&loss)?;
    println!(
        "hidden {:?} {:?}",
        w1.to_vec2::<f64>()?,
        b1.to_vec1::<f64>()?
    );
    println!(
        "output {:?} {:?}",
        w2.to_vec2::<f64>()?,
        b2.to_vec1::<f64>()?
    );
    Ok(())
}
