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
    (
        "patch",
        r#"Usage: patch [OPTION]... [ORIGFILE [PATCHFILE]]
Apply a unified diff (diff -u, git diff) to the files it names, or to ORIGFILE.
The patch is read from PATCHFILE, -i PATCHFILE or standard input.

  -p NUM  --strip=NUM  Strip NUM leading components from file names.
  -F LINES  --fuzz LINES  Set the fuzz factor to LINES for inexact matching.
  -l  --ignore-whitespace  Ignore white space changes between patch and input.
  -u  --unified  Interpret the patch as a unified difference.
  -N  --forward  Ignore patches that appear to be reversed or already applied.
  -R  --reverse  Assume patches were created with old and new files swapped.
  -i PATCHFILE  --input=PATCHFILE  Read patch from PATCHFILE instead of stdin.
  -o FILE  --output=FILE  Output patched files to FILE.
  -r FILE  --reject-file=FILE  Output rejects to FILE.
  -E  --remove-empty-files  Remove output files that are empty after patching.
  -b  --backup  Back up the original contents of each file.
  --backup-if-mismatch  Back up if the patch does not match exactly.
  --no-backup-if-mismatch  Back up mismatches only if otherwise requested.
  -z SUFFIX  --suffix=SUFFIX  Append SUFFIX to backup file names (.orig).
  -t  --batch  Ask no questions; assume reversed patches are reversed.
  -f  --force  Like -t, but assume unreversed.
  -s  --quiet  --silent  Work silently unless an error occurs.
  --dry-run  Do not actually change any files; just print what would happen.
  -d DIR  --directory=DIR  Change the working directory to DIR first.

There is no terminal to ask questions on, so they get their default answers.
Context, normal and ed diffs, git renames and binary diffs, -c, -n, -e, -D,
-B, -Y, -V, -g, -T, -Z, -x, -o -, --merge, --posix, --verbose, --binary,
--quoting-style, --reject-format, --read-only and --follow-symlinks are not
supported by Mirage.
"#,
    ),
    (
        "pr",
        r#"Usage: pr [OPTION]... [FILE]...
Paginate or columnate FILE(s) for printing.

With no FILE, or when FILE is -, read standard input.

  +FIRST_PAGE[:LAST_PAGE], --pages=FIRST_PAGE[:LAST_PAGE]
                    begin [stop] printing with page FIRST_[LAST_]PAGE
  -COLUMN, --columns=COLUMN
                    output COLUMN columns and print columns down,
                    unless -a is used; columns are balanced on each page
  -a, --across      print columns across rather than down (with -COLUMN)
  -c, --show-control-chars
                    use hat notation (^G) and octal backslash notation
  -d, --double-space
                    double space the output
  -D, --date-format=FORMAT
                    use FORMAT for the header date
  -e[CHAR[WIDTH]], --expand-tabs[=CHAR[WIDTH]]
                    expand input CHARs (TABs) to tab WIDTH (8)
  -F, -f, --form-feed
                    use form feeds instead of newlines to separate pages
  -h, --header=HEADER
                    use a centered HEADER instead of the file name
  -i[CHAR[WIDTH]], --output-tabs[=CHAR[WIDTH]]
                    replace spaces with CHARs (TABs) to tab WIDTH (8)
  -J, --join-lines  merge full lines, no truncation or column alignment
  -l, --length=PAGE_LENGTH
                    set the page length to PAGE_LENGTH (66) lines;
                    implies -t if PAGE_LENGTH <= 10
  -m, --merge       print all files in parallel, one in each column
  -n[SEP[DIGITS]], --number-lines[=SEP[DIGITS]]
                    number lines, use DIGITS (5) digits, then SEP (TAB)
  -N, --first-line-number=NUMBER
                    start counting with NUMBER at the first line printed
  -o, --indent=MARGIN
                    offset each line with MARGIN (zero) spaces
  -r, --no-file-warnings
                    omit warning when a file cannot be opened
  -s[CHAR], --separator[=CHAR]
                    separate columns by a single character (TAB by default)
  -S[STRING], --sep-string[=STRING]
                    separate columns by STRING
  -t, --omit-header  omit page headers and trailers
  -T, --omit-pagination
                    omit headers and trailers and form feeds from the input
  -v, --show-nonprinting
                    use octal backslash notation
  -w, --width=PAGE_WIDTH
                    set page width to PAGE_WIDTH (72) for multiple columns
  -W, --page-width=PAGE_WIDTH
                    set page width to PAGE_WIDTH (72) always, truncating lines

Dates are printed in UTC.
"#,
    ),
    (
        "ulimit",
        r#"Usage: ulimit [-SHacdefilmnpqrstuvxR] [limit]
Print the resource limits of the process Mirage runs in.

  -S   the soft limit (the default)
  -H   the hard limit
  -a   every limit, one per line
  -c -d -e -f -i -l -m -n -p -q -r -s -t -u -v -x -R
       one limit: core file size, data segment, scheduling priority, file
       size, pending signals, locked memory, resident set, open files, pipe
       size, message queues, real-time priority, stack, cpu time, user
       processes, virtual memory, file locks, real-time timeout

Sizes are in 1024-byte blocks, except -p (512 bytes), -q (bytes), -t
(seconds) and the counts. Without an option, -f is reported.

Setting a limit is not supported by Mirage.
"#,
    ),
    (
        "nice",
        r#"Usage: nice [OPTION] [COMMAND [ARG]...]
Run COMMAND with an adjusted niceness, which affects process scheduling.
With no COMMAND, print the current niceness (always 0 in Mirage).

  -n, --adjustment=N   add integer N to the niceness (default 10)

Mirage has no scheduler priorities: COMMAND simply runs.
"#,
    ),
    (
        "nohup",
        r#"Usage: nohup COMMAND [ARG]...
Run COMMAND, ignoring hangup signals.

Mirage sends no hangup signals and its output is never a terminal, so
COMMAND simply runs with the same input and output (no nohup.out).
"#,
    ),
    (
        "sync",
        r#"Usage: sync [OPTION] [FILE]...
Synchronize cached writes to persistent storage.

  -d, --data             accepted
  -f, --file-system      accepted

Mirage writes through at once, so sync only checks that each FILE exists.
"#,
    ),
    (
        "zdiff",
        r#"Usage: zdiff [DIFF_OPTION]... FILE1 [FILE2]
Compare FILE1 to FILE2, using their uncompressed contents if they are
compressed. If FILE2 is omitted, compare FILE1 to the uncompressed contents
of FILE1.gz (FILE1 then has a compressed suffix). Options are passed to diff.
Two compressed operands are not supported by Mirage.
"#,
    ),
    (
        "zcmp",
        r#"Usage: zcmp [CMP_OPTION]... FILE1 [FILE2]
Compare FILE1 to FILE2, using their uncompressed contents if they are
compressed. If FILE2 is omitted, compare FILE1 to the uncompressed contents
of FILE1.gz (FILE1 then has a compressed suffix). Options are passed to cmp.
Two compressed operands are not supported by Mirage.
"#,
    ),
];
