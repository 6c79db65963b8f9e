//! One step of every framework gives our new weights, to `f32` rounding.

#[test]
fn one_step_gives_our_new_weights() {
    // The classifier is 407 KB a copy: give the test thread room in a debug build.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            for row in backprop_frameworks::agreements() {
                assert!(row.ok(), "{row:?}");
            }
        })
        .expect("thread")
        .join()
        .expect("agreement");
}
