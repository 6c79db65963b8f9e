//! Draws nets as Graphviz graphs: the forward dataflow, and the deltas flowing back in dashed
//! red. Writes `target/graphs/NAME.dot` for the notebook's net (node by node) and a 784-128-10
//! classifier (layer by layer), and an SVG beside each when Graphviz's `dot` is installed
//! (`apt-get install graphviz`).

use backprop_core::network;
use std::path::Path;
use std::process::Command;

network! {
    /// The notebook's 2-2-1 net.
    pub struct Notebook { input: 2, hidden: dense(2, relu), output: dense(1, relu), loss: squared_error }
}

network! {
    /// An MNIST-sized classifier: too wide to draw node by node.
    pub struct Mnist { scalar: f32, input: 784, hidden: dense(128, relu), output: dense(10, softmax), loss: cross_entropy }
}

fn main() -> std::io::Result<()> {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/graphs");
    std::fs::create_dir_all(&directory)?;
    for (name, dot) in [
        ("notebook", Notebook::GRAPH_DOT),
        ("mnist", Mnist::GRAPH_DOT),
    ] {
        let path = directory.join(format!("{name}.dot"));
        std::fs::write(&path, dot)?;
        println!("{}: {} lines of DOT", path.display(), dot.lines().count());
        let svg = path.with_extension("svg");
        match Command::new("dot")
            .arg("-Tsvg")
            .arg(&path)
            .arg("-o")
            .arg(&svg)
            .status()
        {
            Ok(status) if status.success() => println!("{}", svg.display()),
            Ok(status) => println!("dot failed ({status}); the .dot file is still there"),
            Err(_) => println!("no `dot` on this machine: install Graphviz for an SVG"),
        }
    }
    println!("\n{}", Notebook::GRAPH_DOT);
    Ok(())
}
