//! `--help` texts for the commands added by the second agent-line sweep (kept apart from
//! `texts.rs` so the two lists can be edited independently).

pub const TEXTS: &[(&str, &str)] = &[
    (
        "egrep",
        r#"Usage: egrep [OPTION]... PATTERNS [FILE]...
Same as grep -E: search for extended regular expressions. Accepts grep's
options (see grep --help); messages are grep's.
"#,
    ),
    (
        "fgrep",
        r#"Usage: fgrep [OPTION]... PATTERNS [FILE]...
Same as grep -F: search for fixed strings. Accepts grep's options (see
grep --help); messages are grep's.
"#,
    ),
    (
        "factor",
        r#"Usage: factor [NUMBER]...
Print the prime factors of each specified integer NUMBER. If none
are specified on the command line, read them from standard input.
Numbers above 18446744073709551615 are not supported.
"#,
    ),
    (
        "less",
        r#"Usage: less [OPTION]... [FILE]...
Output is never a terminal in Mirage, so less copies each FILE (or standard
input) to standard output, as the real less does off a terminal. A missing
FILE is reported on standard output. Display options are accepted and ignored.
"#,
    ),
    (
        "more",
        r#"Usage: more [OPTION]... [FILE]...
Output is never a terminal in Mirage, so more copies each FILE (or standard
input) to standard output, with a ':::' banner naming each FILE, as the real
more does off a terminal. Display options are accepted and ignored.
"#,
    ),
    (
        "sum",
        r#"Usage: sum [OPTION]... [FILE]...
Print or check BSD (16-bit) checksums.

With no FILE, or when FILE is -, read standard input.

  -r              use BSD sum algorithm (the default), use 1K blocks
  -s, --sysv      use System V sum algorithm, use 512 bytes blocks
"#,
    ),
    (
        "true",
        r#"Usage: true [ignored command line arguments]
Exit with a status code indicating success.
"#,
    ),
    (
        "false",
        r#"Usage: false [ignored command line arguments]
Exit with a status code indicating failure.
"#,
    ),
    (
        "test",
        r#"Usage: test EXPRESSION
  or:  [ EXPRESSION ]
Exit with the status determined by EXPRESSION: file tests (-e -f -d -s -r -w
-x -L -nt -ot), string tests (-z -n = != < >) and integer comparisons (-eq
-ne -lt -le -gt -ge), combined with ! -a -o and parentheses.
"#,
    ),
    (
        "[",
        r#"Usage: [ EXPRESSION ]
The same as test EXPRESSION (see test --help).
"#,
    ),
    (
        "base32",
        r#"Usage: base32 [OPTION]... [FILE]
Base32 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
"#,
    ),
];
