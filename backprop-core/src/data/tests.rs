#![allow(clippy::float_cmp, reason = "the values are exact by construction")]

use super::*;

const CSV: &str = "a,b,class\n1, 2, 0\n3,4,1\n\n5,6,0\n7,8,1\n9,10,0\n11,12,1\n";

#[test]
fn csv_reads_features_and_classes_after_the_header() {
    let set = Labelled::<2>::parse_csv(CSV, 1).expect("valid CSV");
    assert_eq!(set.len(), 6);
    assert_eq!(set.inputs[0], [1.0, 2.0]);
    assert_eq!(set.labels, [0, 1, 0, 1, 0, 1]);
    assert_eq!(set.one_hot::<2>()[1], [0.0, 1.0]);
    assert_eq!(set.select(&[5, 0]).labels, [1, 0]);
}

#[test]
fn csv_errors_name_the_line() {
    let error = Labelled::<2>::parse_csv("1,2\n", 0).expect_err("two fields");
    assert_eq!(error, "line 1: 2 fields, expected 3");
    let error = Labelled::<2>::parse_csv("1,2,0\n1,x,0\n", 0).expect_err("not a number");
    assert!(error.starts_with("line 2: `x`"), "{error}");
    let error = Labelled::<1>::parse_csv("1,-1\n", 0).expect_err("a negative class");
    assert!(error.starts_with("line 1: class `-1`"), "{error}");
}

#[test]
fn the_split_keeps_each_class_share_and_depends_only_on_the_seed() {
    let set = Labelled::<2>::parse_csv(CSV, 1).expect("valid CSV");
    let (train, test) = set.stratified_split(1.0 / 3.0, 7);
    assert_eq!((train.len(), test.len()), (4, 2));
    assert_eq!(test.labels.iter().filter(|&&label| label == 0).count(), 1);
    assert_eq!(test.labels.iter().filter(|&&label| label == 1).count(), 1);
    assert_eq!(
        set.stratified_split(1.0 / 3.0, 7),
        (train.clone(), test.clone())
    );
    // Every sample lands in exactly one part.
    let mut all: Vec<[f64; 2]> = train.inputs.iter().chain(&test.inputs).copied().collect();
    all.sort_by(|a, b| a[0].total_cmp(&b[0]));
    assert_eq!(all, set.inputs);
}

#[test]
fn standardising_uses_the_fitted_statistics_and_leaves_constants_centred() {
    let train = [[1.0, 5.0], [3.0, 5.0]];
    let standardiser = Standardiser::fit(&train);
    assert_eq!(standardiser.mean, [2.0, 5.0]);
    assert_eq!(standardiser.deviation, [1.0, 1.0]);
    let mut test = [[4.0, 6.0]];
    standardiser.apply(&mut test);
    assert_eq!(test, [[2.0, 1.0]]);
}
