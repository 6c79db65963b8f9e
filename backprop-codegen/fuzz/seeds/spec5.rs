struct Regression { input: 5, r#type: dense(3, elu(0.5)), layer_2: dense(2, leaky_relu), output: dense(1, identity), loss: mean_absolute_error }
