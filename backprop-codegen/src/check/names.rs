//! "Did you mean" hints for misspelt names.

/// The known name closest to `name`, when it is close enough to be a plausible typo: within an
/// edit distance of a third of the name's length (at least 1), transpositions counting once.
pub fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    known
        .iter()
        .map(|candidate| (strsim::osa_distance(name, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    const KNOWN: &[&str] = &["scalar", "input", "loss", "form", "unrolled", "looped"];

    #[test]
    fn transposition_is_one_edit() {
        assert_eq!(did_you_mean("sclaar", KNOWN), Some("scalar"));
    }

    #[test]
    fn missing_letter_is_found() {
        assert_eq!(did_you_mean("inpt", KNOWN), Some("input"));
        assert_eq!(did_you_mean("unrolld", KNOWN), Some("unrolled"));
    }

    #[test]
    fn unrelated_name_gets_no_hint() {
        assert_eq!(did_you_mean("epochs", KNOWN), None);
        assert_eq!(did_you_mean("x", KNOWN), None);
    }
}
