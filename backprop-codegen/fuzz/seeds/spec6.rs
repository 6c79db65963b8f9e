struct Looped { form: looped, input: 16, hidden: dense(16, gelu), output: dense(4, Swish), loss: mean_squared_error }
