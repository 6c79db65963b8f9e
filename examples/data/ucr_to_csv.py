#!/usr/bin/env python3
"""Convert two UCR/UEA archive data sets shipped in the sktime wheel to the examples' CSV files.

Reads, straight from the sktime wheel (a zip file, opened with `zipfile`; nothing is installed):

    sktime/datasets/data/BasicMotions/BasicMotions_TRAIN.ts
    sktime/datasets/data/BasicMotions/BasicMotions_TEST.ts
    sktime/datasets/data/JapaneseVowels/JapaneseVowels_TRAIN.ts
    sktime/datasets/data/JapaneseVowels/JapaneseVowels_TEST.ts

and writes, next to this script (or into OUT_DIR if given):

    basic_motions_train.csv    basic_motions_test.csv
    japanese_vowels_train.csv  japanese_vowels_test.csv

Run from the repository root:

    pip download sktime --no-deps -d /tmp/sktime && python3 examples/data/ucr_to_csv.py /tmp/sktime/sktime-*.whl

(`pip download sktime==1.2.0 ...` fetches exactly the wheel the committed files were made from.)

The archive's own train/test splits are kept. Line formats (no quoting, '\n' line ends):

- BasicMotions: header `cases,channels,steps,class names...`; then one line per case: the class
  index (0-based, class names sorted as strings), then channels*steps values channel-major
  (channel 0's steps, then channel 1's, ...).
- JapaneseVowels (series of unequal length): header `cases,channels,max_steps,class names...`,
  where max_steps is the longest series over both splits (29), the same in both files; then one
  line per case: the class index, the series length n, then channels*n values channel-major.

Each value is written as Python's repr() of the float parsed from the .ts file (the shortest
string that round-trips), so no precision is lost; e.g. the file's `7.51E-4` becomes `0.000751`
and `-6.5E-5` becomes `-6.5e-05`.

The .ts format: lines starting with `#` are comments, lines starting with `@` are header fields
up to `@data`; after it each line is one case, its dimensions separated by `:`, the values in a
dimension by `,`, and the class label last. The script checks the expected counts (cases per
split, channels, lengths, classes) and stops with an error if any differs.
"""

import base64
import hashlib
import os
import sys
import zipfile

DATA_DIR = "sktime/datasets/data"

# name in the archive -> (output stem, equal length?, expected facts)
DATASETS = [
    (
        "BasicMotions",
        "basic_motions",
        True,
        dict(channels=6, classes=4, train=40, test=40, min_len=100, max_len=100),
    ),
    (
        "JapaneseVowels",
        "japanese_vowels",
        False,
        dict(channels=12, classes=9, train=270, test=370, min_len=7, max_len=29),
    ),
]


def check(cond, msg):
    if not cond:
        sys.exit("error: " + msg)


def record_hashes(wheel):
    """sha256 of each file as listed in the wheel's RECORD, to check the members read."""
    names = [n for n in wheel.namelist() if n.endswith(".dist-info/RECORD")]
    check(len(names) == 1, "no single .dist-info/RECORD in the wheel")
    hashes = {}
    for line in wheel.read(names[0]).decode("utf-8").splitlines():
        parts = line.rsplit(",", 2)
        if len(parts) == 3 and parts[1].startswith("sha256="):
            hashes[parts[0]] = parts[1][len("sha256="):]
    return hashes


def read_member(wheel, path, hashes):
    raw = wheel.read(path)
    digest = base64.urlsafe_b64encode(hashlib.sha256(raw).digest()).rstrip(b"=").decode()
    check(hashes.get(path) == digest, f"{path}: sha256 differs from the wheel's RECORD")
    print(f"  read {path} ({len(raw)} bytes, sha256 {hashlib.sha256(raw).hexdigest()})")
    return raw.decode("utf-8")


def parse_ts(text, where):
    """Return (header dict, class labels as declared, cases); a case is (label, [[float]])."""
    header = {}
    cases = []
    in_data = False
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            check(line.startswith("@"), f"{where}:{lineno}: expected a header line")
            key, _, value = line[1:].partition(" ")
            key = key.lower()
            if key == "data":
                in_data = True
            else:
                header[key] = value.strip()
            continue
        fields = line.split(":")
        check(len(fields) >= 2, f"{where}:{lineno}: no dimensions")
        label = fields[-1].strip()
        dims = []
        for dim in fields[:-1]:
            values = dim.split(",")
            check("?" not in values, f"{where}:{lineno}: missing value")
            dims.append([float(v) for v in values])
        cases.append((label, dims))
    check(in_data, f"{where}: no @data line")
    class_field = header.get("classlabel", "").split()
    check(class_field[:1] == ["true"], f"{where}: no class labels declared")
    return header, class_field[1:], cases


def fmt(x):
    return repr(x)


def convert(wheel, hashes, name, stem, equal_length, want, out_dir):
    print(f"{name}:")
    splits = {}
    labels = None
    for split in ("TRAIN", "TEST"):
        path = f"{DATA_DIR}/{name}/{name}_{split}.ts"
        header, declared, cases = parse_ts(read_member(wheel, path, hashes), path)
        check(header.get("problemname") == name, f"{path}: @problemName is not {name}")
        check(int(header["dimensions"]) == want["channels"], f"{path}: @dimensions")
        check(header["equallength"] == ("true" if equal_length else "false"), f"{path}: @equalLength")
        if equal_length:
            check(int(header["serieslength"]) == want["max_len"], f"{path}: @seriesLength")
        if labels is None:
            labels = declared
        check(declared == labels, f"{path}: class labels differ between splits")
        splits[split] = cases

    names = sorted(labels)
    check(len(names) == want["classes"] and len(set(names)) == len(names), f"{name}: classes")
    index = {label: i for i, label in enumerate(names)}

    all_lengths = []
    for split, cases in splits.items():
        check(len(cases) == want[split.lower()], f"{name} {split}: {len(cases)} cases")
        counts = [0] * len(names)
        lengths = []
        for label, dims in cases:
            check(label in index, f"{name} {split}: unknown label {label!r}")
            counts[index[label]] += 1
            check(len(dims) == want["channels"], f"{name} {split}: {len(dims)} channels")
            n = len(dims[0])
            check(all(len(d) == n for d in dims), f"{name} {split}: channels of unequal length")
            lengths.append(n)
        check(all(c > 0 for c in counts), f"{name} {split}: a class has no case")
        all_lengths += lengths
        print(
            f"  {split}: {len(cases)} cases, {want['channels']} channels, "
            f"lengths {min(lengths)}..{max(lengths)}, {len(names)} classes, cases per class "
            + ", ".join(f"{label}={c}" for label, c in zip(names, counts))
        )
    check(min(all_lengths) == want["min_len"] and max(all_lengths) == want["max_len"],
          f"{name}: lengths {min(all_lengths)}..{max(all_lengths)}")
    steps = max(all_lengths)

    for split, cases in splits.items():
        out = os.path.join(out_dir, f"{stem}_{split.lower()}.csv")
        lines = [",".join([str(len(cases)), str(want["channels"]), str(steps)] + names)]
        for label, dims in cases:
            row = [str(index[label])]
            if not equal_length:
                row.append(str(len(dims[0])))
            row += [fmt(v) for d in dims for v in d]
            lines.append(",".join(row))
        data = ("\n".join(lines) + "\n").encode("ascii")
        with open(out, "wb") as f:
            f.write(data)
        print(f"  wrote {out} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(f"usage: {argv[0]} SKTIME_WHEEL [OUT_DIR]   (see the top of this file)")
    wheel_path = argv[1]
    out_dir = argv[2] if len(argv) == 3 else os.path.dirname(os.path.abspath(__file__))
    check(not out_dir.endswith(".whl"), "more than one wheel given: keep only one in the folder")
    with zipfile.ZipFile(wheel_path) as wheel:
        hashes = record_hashes(wheel)
        print(f"wheel {os.path.basename(wheel_path)}")
        for name, stem, equal_length, want in DATASETS:
            convert(wheel, hashes, name, stem, equal_length, want, out_dir)


if __name__ == "__main__":
    main(sys.argv)
