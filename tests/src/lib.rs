//! The test suite of the `network!` macro; the tests live in `tests/tests/`.
