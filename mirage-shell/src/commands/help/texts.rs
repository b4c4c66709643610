//! The help texts, one entry per command, sorted by name.
//!
//! Each text lists what Mirage implements, in GNU's layout, described in
//! Mirage's own words.

pub const TEXTS: &[(&str, &str)] = &[
    (
        "arch",
        r#"Usage: arch
Print the machine hardware name (the host's, same as uname -m).
"#,
    ),
    (
        "awk",
        r#"Usage: awk [OPTION]... 'program' [FILE]...
  or:  awk [OPTION]... -f PROGFILE [FILE]...
Run an awk program over each input record of the FILEs (default: standard
input).

  -F FS          split records into fields with FS instead of blanks
  -v VAR=VALUE   set variable VAR before the program starts
  -f PROGFILE    read the program text from PROGFILE (may be repeated)

Long options (--lint, --posix, ...) are not supported by Mirage.
"#,
    ),
    (
        "b2sum",
        r#"Usage: b2sum [OPTION]... [FILE]...
Print or check BLAKE2b (512-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
  -l, --length=BITS    digest length in bits; a multiple of 8, at most 512 (the
                         default; 0 means the default too)
      --tag            print BSD-style lines: BLAKE2b (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

When checking, each line's digest length comes from the line itself. -z is not
supported by Mirage.
"#,
    ),
    (
        "base64",
        r#"Usage: base64 [OPTION]... [FILE]
Encode FILE (or standard input) as base64 on standard output, or decode it.

  -d, --decode          turn base64 text back into the original bytes
  -i, --ignore-garbage  when decoding, skip characters outside the alphabet
  -w, --wrap=COLS       break encoded lines after COLS characters (default
                          76; 0 means one single line)

With no FILE, or when FILE is -, standard input is read.
"#,
    ),
    (
        "basename",
        r#"Usage: basename NAME [SUFFIX]
  or:  basename OPTION... NAME...
Print NAME without the directories before its last component; if SUFFIX is
given and matches the end, remove it too.

  -a, --multiple        treat every operand as a NAME
  -s, --suffix=SUFFIX   remove SUFFIX from each name (implies -a)
  -z, --zero            end each result with NUL rather than a newline
"#,
    ),
    (
        "bash",
        r#"Usage: bash [-c COMMAND [NAME [ARG...]]] [SCRIPT [ARG...]]
Run a Mirage shell: the same in-process interpreter as the current line, in a
child state with its own variables and positional parameters.

  -c COMMAND   run COMMAND; NAME becomes $0 and the ARGs $1, $2, ...
  SCRIPT       run the script stored at that path (on any mount)

With neither, commands are read from standard input. Nothing runs on the host.
"#,
    ),
    (
        "bc",
        r#"Usage: bc [OPTION]... [FILE]...
Evaluate the bc calculator language read from the FILEs, then from standard
input, printing the value of each expression statement.

  -l, --mathlib    start with scale=20 (the math library functions s, c, a,
                     l, e and j are not provided)
  -q, --quiet      accepted; Mirage prints no banner anyway
  -s, --standard   accepted; has no effect
  -w, --warn       accepted; has no effect

Supported: numbers with scale, variables, the usual operators, comparisons,
if/while/for, print, quit, sqrt(), length() and scale(). User functions,
arrays and ibase/obase other than 10 are refused by Mirage.
"#,
    ),
    (
        "cat",
        r#"Usage: cat [OPTION]... [FILE]...
Write the FILEs one after the other to standard output.

  -A, --show-all           same as -vET
  -b, --number-nonblank    put a line number before each non-empty line
  -e                       same as -vE
  -E, --show-ends          mark each line end with $
  -n, --number             put a line number before every line
  -s, --squeeze-blank      print runs of empty lines as a single one
  -t                       same as -vT
  -T, --show-tabs          show tab characters as ^I
  -u                       accepted; has no effect
  -v, --show-nonprinting   show control and high bytes in ^ and M- notation

With no FILE, or when FILE is -, standard input is read.
"#,
    ),
    (
        "chmod",
        r#"Usage: chmod [OPTION]... MODE[,MODE]... FILE...
  or:  chmod [OPTION]... OCTAL-MODE FILE...
  or:  chmod [OPTION]... --reference=RFILE FILE...
Change the permission bits of each FILE. MODE is octal (755, 0644, 4755) or
symbolic: [ugoa]*[-+=][rwxXst]* or a copy [-+=][ugo], clauses joined by commas.
Without ugoa, bits in the umask (022) are left alone.

  -c, --changes          report only the files whose mode changed
  -f, --silent, --quiet  do not report files that cannot be changed
  -v, --verbose          report every file processed
  -R, --recursive        change directories and what is below them
      --reference=RFILE  use RFILE's mode instead of MODE

Backends without permissions answer "Operation not supported".
"#,
    ),
    (
        "cksum",
        r#"Usage: cksum [FILE]...
Print the POSIX CRC checksum and the byte count of each FILE (standard input
when none is given or FILE is -).

Options (-a, --algorithm, ...) are not supported by Mirage.
"#,
    ),
    (
        "cmp",
        r#"Usage: cmp [OPTION]... FILE1 [FILE2]
Compare two files byte by byte and report the first place they differ.

  -b, --print-bytes      also show the differing bytes
  -i, --ignore-initial=SKIP  skip the first SKIP bytes of both inputs
  -i, --ignore-initial=SKIP1:SKIP2  skip SKIP1 bytes of FILE1 and SKIP2 of FILE2
  -l, --verbose          list each differing byte: offset and both octal values
  -n, --bytes=LIMIT      look at no more than LIMIT bytes
  -s, --quiet, --silent  print nothing; only the exit status tells the result

Usage also: cmp [OPTION]... FILE1 FILE2 [SKIP1 [SKIP2]]. SKIP may be 0x hex or
0 octal and end in K, M, G... (1024) or kB, MB... (1000).
FILE2 defaults to standard input. Exit status: 0 if the same, 1 if different,
2 on trouble. -c is not supported by Mirage.
"#,
    ),
    (
        "column",
        r#"Usage: column [OPTION]... [FILE]...
Arrange the input lines into columns, or into an aligned table with -t.

  -c, --columns=WIDTH          the output may be WIDTH characters wide (80)
  -t, --table                  split lines into cells and align them as a table
  -s, --separator=STRING       with -t, split cells on each character of STRING
                                 instead of on runs of blanks
  -o, --output-separator=STRING  with -t, put STRING between cells (two spaces)
  -x, --fillrows               fill rows before columns
  -N, --table-columns=NAMES    with -t, name the columns (comma-separated) and
                                 print the names as a heading line
  -d, --table-noheadings       do not print the heading line
  -R, --table-right=COLUMNS    right-align these columns (names or numbers)
  -H, --table-hide=COLUMNS     do not print these columns (- = unnamed ones)
  -O, --table-order=COLUMNS    print these columns first, in this order

Options not listed here are not supported by Mirage.
"#,
    ),
    (
        "comm",
        r#"Usage: comm [OPTION]... FILE1 FILE2
Compare two sorted files and print three columns: lines found only in FILE1,
lines found only in FILE2, and lines found in both.

  -1                       leave out the first column
  -2                       leave out the second column
  -3                       leave out the third column
      --check-order        fail if an input is not sorted
      --nocheck-order      never complain about unsorted input
      --output-delimiter=STR  separate the columns with STR instead of a tab
      --total              end with a line of the three counts and "total"
  -z, --zero-terminated    lines end with NUL, not newline

Options not listed here are not supported by Mirage.
"#,
    ),
    (
        "cp",
        r#"Usage: cp [OPTION]... [-T] SOURCE DEST
  or:  cp [OPTION]... SOURCE... DIRECTORY
  or:  cp [OPTION]... -t DIRECTORY SOURCE...
Copy SOURCE to DEST, or several SOURCEs into DIRECTORY.

  -a, --archive                 copy directories recursively and keep times
  -f, --force                   overwrite existing files (undoes -n)
  -n, --no-clobber              never overwrite an existing file
  -p                            keep modification times
      --preserve[=ATTR_LIST]    keep the listed attributes (timestamps, all)
      --no-preserve=ATTR_LIST   do not keep the listed attributes
  -r, -R, --recursive           copy directories and everything inside them
  -t, --target-directory=DIRECTORY  copy every SOURCE into DIRECTORY
  -T, --no-target-directory     treat DEST as a plain destination name
  -u, --update                  copy only when SOURCE is newer than DEST
  -v, --verbose                 say what is being copied

Options not listed here (-i, -l, -s, -b, --parents, ...) are not supported
by Mirage.
"#,
    ),
    (
        "csplit",
        r#"Usage: csplit [OPTION]... FILE PATTERN...
Cut FILE into pieces at the lines chosen by the PATTERNs, writing them to
xx00, xx01, ... and printing the size in bytes of each piece.

  -b, --suffix-format=FORMAT  name pieces with a printf FORMAT (default %02d)
  -f, --prefix=PREFIX         name the pieces PREFIX00, PREFIX01, ...
  -k, --keep-files            leave the pieces already written on an error
  -n, --digits=DIGITS         use DIGITS digits in piece names (default 2)
  -s, -q, --quiet, --silent   do not print the piece sizes
  -z, --elide-empty-files     do not write empty pieces

A PATTERN is a line number N, /REGEX/[OFFSET] (split before the matching
line), %REGEX%[OFFSET] (skip up to it) or {COUNT} (repeat the previous
pattern COUNT times, or as often as possible with {*}). --suppress-matched
is not supported by Mirage.
"#,
    ),
    (
        "cut",
        r#"Usage: cut OPTION... [FILE]...
Print selected parts of each line of the FILEs.

  -b, --bytes=LIST          keep only the listed byte positions
  -c, --characters=LIST     keep only the listed character positions
  -d, --delimiter=DELIM     fields are separated by DELIM, not a tab
  -f, --fields=LIST         keep only the listed fields
  -n                        accepted; has no effect
  -s, --only-delimited      skip lines that contain no delimiter
      --complement          keep everything except the selection
      --output-delimiter=STRING  join the kept pieces with STRING
  -z, --zero-terminated     lines end with NUL, not newline

LIST is made of ranges N, N-, N-M or -M separated by commas. Exactly one of
-b, -c and -f must be given.
"#,
    ),
    (
        "date",
        r#"Usage: date [OPTION]... [+FORMAT]
Print the current time (or another given one) in the given FORMAT.

  -d, --date=STRING         show the time described by STRING instead of now
  -r, --reference=FILE      show the last modification time of FILE
  -u, --utc, --universal    use Coordinated Universal Time
  -I[FMT], --iso-8601[=FMT] ISO 8601 output; FMT is date (default), hours,
                              minutes, seconds or ns
  -R, --rfc-email           RFC 5322 output, as in mail headers
      --rfc-3339=FMT        RFC 3339 output; FMT is date, seconds or ns

FORMAT takes strftime-like sequences such as %Y, %m, %d, %H, %M, %S, %s.
Setting the clock (-s), -f and --debug are not supported by Mirage.
"#,
    ),
    (
        "dd",
        r#"Usage: dd [OPERAND]...
Copy a file (standard input by default) to standard output or to the file
named by of=, block by block, converting as asked.

  bs=BYTES        read and write BYTES at a time (each block written as read)
  count=N         copy only N input blocks
  ibs=BYTES       read BYTES at a time (default: 512)
  if=FILE         read from FILE instead of standard input
  obs=BYTES       write BYTES at a time (default: 512)
  of=FILE         write to FILE instead of standard output
  seek=N          skip N obs-sized blocks at the start of the output file
  skip=N          skip N ibs-sized blocks at the start of the input
  status=LEVEL    none (no messages), noxfer (no transfer line), progress
  conv=CONVS      comma-separated: lcase, ucase, sync (pad input blocks with
                    NULs), notrunc, excl, nocreat, noerror, fsync, fdatasync
  iflag=FLAGS     skip_bytes, count_bytes, fullblock
  oflag=FLAGS     seek_bytes, append

N and BYTES may end in c (1), w (2), b (512), K/M/G (powers of 1024), KB/MB/GB
(powers of 1000), and be multiplied with x (2x512). Input blocks are always
read whole (as with iflag=fullblock). The summary goes to standard error.
/dev/zero, /dev/urandom and /dev/null can be read, and /dev/null written.
conv=ascii, ebcdic, ibm, block, unblock, swab, sparse and cbs= are not
supported by Mirage.
"#,
    ),
    (
        "df",
        r#"Usage: df [OPTION]... [FILE]...
Show the mounts of the Mirage filesystem, one line each. Mirage resources
report no capacity, so the size columns show -.

  -h, --human-readable   use the human-readable column heading (Size)
  -k                     sizes in 1K blocks (the default)
  -T, --print-type       add a Type column

Other options are not supported by Mirage.
"#,
    ),
    (
        "diff",
        r#"Usage: diff [OPTION]... FILE1 FILE2
Compare two files line by line and print the changes that turn FILE1 into
FILE2.

  -q, --brief                  only say whether the files differ
  -s, --report-identical-files say so when the files are the same
  -u                           unified format with 3 lines of context
  -U, --unified[=NUM]          unified format with NUM lines of context
      --label LABEL            show LABEL instead of a file name and time in
                                 the -u/-c header (once per file)
      --strip-trailing-cr      a CR before a newline is not part of the line
  -I, --ignore-matching-lines=RE  leave out hunks whose changed lines all match
                                 the basic regular expression RE

Without -u or -U the classic (normal) format is printed. Exit status: 0 if
the files are the same, 1 if they differ, 2 on trouble.
Directory operands and options not listed here are not supported by Mirage.
"#,
    ),
    (
        "dirname",
        r#"Usage: dirname [OPTION] NAME...
Print each NAME without its last component; a NAME with no slash gives '.'.

  -z, --zero   end each result with NUL rather than a newline
"#,
    ),
    (
        "dos2unix",
        r#"Usage: dos2unix [OPTION]... [FILE]... [-n INFILE OUTFILE]...
Convert DOS line breaks (CR LF) to Unix ones (LF) in each FILE, in place.
A lone CR is kept and a UTF-8 byte order mark is removed. With no FILE,
convert standard input to standard output.

  -n, --newfile      convert INFILE into OUTFILE (pairs follow)
  -o, --oldfile      convert the following FILEs in place (the default)
  -q, --quiet        print no messages, and exit 0 for missing files
  -f, --force        convert binary files too
  -s, --safe         skip binary files (the default)
  -b, --keep-bom     keep a byte order mark
  -r, --remove-bom   remove a byte order mark (the default)

A file holding a control character other than TAB, LF, CR or FF is binary
and skipped. Options apply to the FILEs after them. Code pages (-iso, -437,
...), -k, -v, -l, -m, -i, -c and the UTF-16 options are not supported.
"#,
    ),
    (
        "du",
        r#"Usage: du [OPTION]... [FILE]...
Show how much space the FILEs take, adding up directories recursively.

  -a, --all             list files too, not only directories
      --apparent-size   count sizes in bytes of content, not blocks used
  -b, --bytes           same as --apparent-size --block-size=1
  -c, --total           print a grand total at the end
  -d, --max-depth=N     list directories only down to N levels below the operand
      --exclude=PATTERN skip (and do not count) entries matching the wildcard
  -h, --human-readable  sizes with a unit suffix (K, M, G)
  -k                    count in 1024-byte blocks (the default)
  -P, --no-dereference  do not follow symbolic links (the default)
  -s, --summarize       print only one total per operand

Options not listed here are not supported by Mirage.
"#,
    ),
    (
        "echo",
        r#"Usage: echo [SHORT-OPTION]... [STRING]...
Print the STRINGs, separated by spaces, followed by a newline.

  -n   do not print the final newline
  -e   interpret backslash escapes such as \n, \t, \\ and \c
  -E   print backslashes literally (the default)
"#,
    ),
    (
        "env",
        r#"Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]
Run COMMAND with the environment changed by the NAME=VALUE settings; with no
COMMAND, print the resulting environment.

  -i, --ignore-environment  begin with an empty environment (same as -)
  -u, --unset=NAME          drop the variable NAME
  -0, --null                end each printed variable with NUL, not newline

-C, -S and -v are not supported by Mirage.
"#,
    ),
    (
        "expand",
        r#"Usage: expand [OPTION]... [FILE]...
Replace tab characters with spaces in the FILEs.

  -i, --initial    only convert the tabs before the first non-blank of a line
  -t, --tabs=N     put tab stops every N columns instead of 8
  -t, --tabs=LIST  put tab stops at the comma-separated columns of LIST

With no FILE, or when FILE is -, standard input is read.
"#,
    ),
    (
        "expr",
        r#"Usage: expr EXPRESSION
Evaluate EXPRESSION, given as separate arguments, and print the result.

  A | B            A if it is neither empty nor 0, else B
  A & B            A if neither A nor B is empty or 0, else 0
  A < B, A <= B, A = B, A != B, A >= B, A > B
                   compare as integers when both are, else as strings (1 or 0)
  A + B, A - B, A * B, A / B, A % B   integer arithmetic
  STRING : REGEXP  anchored basic-regexp match: the \( \) group or the length
  match STRING REGEXP, substr STRING POS LENGTH, index STRING CHARS,
  length STRING, + TOKEN, ( EXPRESSION )

Exit status: 0 if the result is neither empty nor 0, 1 if it is, 2 if the
expression is invalid, 3 on other errors.
"#,
    ),
    (
        "file",
        r#"Usage: file [OPTION]... FILE...
Say what kind of data each FILE holds, judging by its first bytes:
directory, empty, gzip, PDF, tar, scripts, JSON, text (ASCII, UTF-8,
ISO-8859, with line terminator notes) or data.

  -b, --brief   print the description without the leading file name

A FILE of - means standard input. Other options (--mime, -z, -L, ...) are
not supported by Mirage.
"#,
    ),
    (
        "find",
        r#"Usage: find [-H] [-L] [-P] [path...] [expression]
Walk the directory trees under each path and evaluate the expression on every
file found (the default path is '.', the default action -print).

Tests:   -name -iname -path -ipath -wholename -iwholename PATTERN,
         -type [fdl...], -size N[ckMG], -empty, -newer FILE,
         -mtime N, -mmin N, -true, -false
Options: -maxdepth N, -mindepth N, -depth, -follow, -mount, -xdev,
         -noleaf, -warn, -nowarn
Actions: -print, -print0, -prune, -quit, -delete,
         -exec COMMAND ; and -exec COMMAND {} +
Operators: ( EXPR ), ! EXPR, -not, EXPR -a EXPR, -and, EXPR -o EXPR, -or, ,

Numbers may be written +N (more than N), -N (less than N) or N (exactly).
Tests such as -perm, -user, -regex, -printf, -ls and -execdir are not
supported by Mirage.
"#,
    ),
    (
        "fmt",
        r#"Usage: fmt [-WIDTH] [OPTION]... [FILE]...
Refill the paragraphs of each FILE (or standard input), joining and
breaking lines so they fit the width. Blank lines and changes of
indentation separate paragraphs.

  -w, --width=WIDTH        lines at most WIDTH columns wide (default 75)
  -g, --goal=WIDTH         aim for lines WIDTH columns wide (default 93% of
                             the width)
  -s, --split-only         break long lines but never join short ones
  -u, --uniform-spacing    one space between words, two after sentences
  -c, --crown-margin       keep the indentation of the first two lines
  -t, --tagged-paragraph   like -c, but the first line's indentation differs
  -p, --prefix=STRING      only refill lines that begin with STRING

A FILE of - means standard input.
"#,
    ),
    (
        "fold",
        r#"Usage: fold [OPTION]... [FILE]...
Break each input line so that no line is wider than the chosen width.

  -b, --bytes       measure width in bytes rather than columns
  -s, --spaces      prefer to break after a blank
  -w, --width=WIDTH lines are at most WIDTH columns wide (80 by default)
"#,
    ),
    (
        "getconf",
        r#"Usage: getconf VARIABLE [PATHNAME]
Print the value of a system configuration VARIABLE (taken from the host):
PAGESIZE, PAGE_SIZE, ARG_MAX, CLK_TCK, _NPROCESSORS_ONLN, _NPROCESSORS_CONF,
OPEN_MAX, CHILD_MAX, NGROUPS_MAX, LONG_BIT, WORD_BIT, CHAR_BIT, INT_MAX,
INT_MIN, UINT_MAX, ULONG_MAX, SSIZE_MAX, LINE_MAX, HOST_NAME_MAX,
LOGIN_NAME_MAX, _POSIX_VERSION, POSIX2_VERSION, and with a PATHNAME:
PATH_MAX, NAME_MAX, PIPE_BUF.

Other names glibc knows, -a and -v are not supported by Mirage.
"#,
    ),
    (
        "grep",
        r#"Usage: grep [OPTION]... PATTERNS [FILE]...
Print the lines of the FILEs that match one of the PATTERNS.

  -E, -F, -G                PATTERNS are extended / fixed / basic regexps
  -e, --regexp=PATTERNS     use PATTERNS (may be repeated)
  -f, --file=FILE           read the patterns from FILE
  -i, --ignore-case         ignore case (--no-ignore-case undoes it)
  -v, --invert-match        print the lines that do not match
  -w, --word-regexp         match whole words only
  -x, --line-regexp         match whole lines only
  -c, --count               print only a count of matching lines per file
  -l, -L                    print only the names of files with / without a match
  -m, --max-count=NUM       stop after NUM matching lines
  -o, --only-matching       print only the matched parts
  -q, --quiet, --silent     print nothing; exit status only
  -s, --no-messages         keep quiet about unreadable files
  -n, --line-number         prefix lines with their line number
  -b, --byte-offset         prefix lines with their byte offset
  -H, -h                    always / never prefix lines with the file name
  -A, -B, -C NUM            show NUM lines of context after / before / around
  -r, -R, --recursive       search directories recursively
      --include, --exclude, --exclude-dir=GLOB  choose which files to search
  -a, --text; -I            treat binary files as text / skip them
  -z, --null-data; -Z, --null  NUL-ended input lines / NUL after file names

Exit status: 0 if a line matched, 1 if none, 2 on error. -P, -X, --version
and colored output are not supported by Mirage.
"#,
    ),
    (
        "groups",
        r#"Usage: groups [USER]...
Print the groups of each USER, or of the current user (the host's).
"#,
    ),
    (
        "gunzip",
        r#"Usage: gunzip [OPTION]... [FILE]...
Decompress each FILE.gz into FILE, removing FILE.gz (same as gzip -d).

  -c, --stdout       write to standard output, keep the input files
  -f, --force        overwrite existing files, pass through data that is
                       not compressed when writing to standard output
  -k, --keep         keep the input files
  -n, --no-name      accepted; the stored name is not used
  -q, --quiet        do not print warnings
  -S, --suffix=SUF   expect SUF instead of .gz
  -t, --test         check that the compressed files are intact

With no FILE, or when FILE is -, standard input is decompressed to standard
output. -l, -N, -r and -v are not supported by Mirage.
"#,
    ),
    (
        "gzip",
        r#"Usage: gzip [OPTION]... [FILE]...
Compress each FILE into FILE.gz, removing FILE (or decompress with -d).

  -c, --stdout       write to standard output, keep the input files
  -d, --decompress   decompress instead
  -f, --force        overwrite existing files
  -k, --keep         keep the input files
  -n, --no-name      do not store the original name and time
  -q, --quiet        do not print warnings
  -S, --suffix=SUF   use SUF instead of .gz
  -t, --test         check that the compressed files are intact
  -1, --fast         compress faster
  -9, --best         compress better (levels -1 to -9; default -6)

With no FILE, or when FILE is -, standard input goes to standard output.
Compressed bytes may differ from GNU gzip's; they decompress the same.
-l, -N, -r and -v are not supported by Mirage.
"#,
    ),
    (
        "head",
        r#"Usage: head [OPTION]... [FILE]...
Print the beginning of each FILE (the first 10 lines unless told otherwise).

  -c, --bytes=[-]NUM       print the first NUM bytes (-NUM: all but the last)
  -n, --lines=[-]NUM       print the first NUM lines (-NUM: all but the last)
  -q, --quiet, --silent    never print a header with the file name
  -v, --verbose            always print a header with the file name
  -z, --zero-terminated    lines end with NUL, not newline

NUM may end with a multiplier such as K, M, kB or MB.
"#,
    ),
    (
        "hexdump",
        r#"Usage: hexdump [-C] [-v] [-n LENGTH] [-s OFFSET] [FILE]...
Show the bytes of the FILEs (or standard input) in hexadecimal.

  -C         canonical display: offset, 16 bytes in hex, then the printable
             characters between | bars
  -n LENGTH  show only the first LENGTH bytes
  -s OFFSET  skip OFFSET bytes first
  -v         show every line (identical lines are otherwise squeezed to *)

Without -C, lines are offsets followed by two-byte hex words. Other formats
(-b -c -d -o -x -e) are not supported by Mirage.
"#,
    ),
    (
        "hostname",
        r#"Usage: hostname [-s]
Print the host name (the host machine's).

  -s, --short   print the name up to the first dot

Setting the name and the other options (-f, -i, -d, ...) are not supported
by Mirage.
"#,
    ),
    (
        "iconv",
        r#"Usage: iconv [OPTION...] [FILE...]
Convert the text of the FILEs (or standard input) from one character
encoding to another.

  -f, --from-code=NAME   the encoding of the input (default UTF-8)
  -t, --to-code=NAME     the encoding to write (default UTF-8); add
                           //TRANSLIT to approximate characters it lacks,
                           or //IGNORE to drop them
  -c                     leave out characters that cannot be converted
  -o, --output=FILE      write to FILE instead of standard output
  -s, --silent           accepted; has no effect

Encodings: UTF-8, ASCII, ISO-8859-1 (LATIN1), WINDOWS-1252 (CP1252),
UTF-16, UTF-16LE, UTF-16BE, UCS-2, UTF-32, UTF-32LE, UTF-32BE, UCS-4.
-l and --verbose are not supported by Mirage.
"#,
    ),
    (
        "id",
        r#"Usage: id [OPTION]... [USER]
Print user and group ids of USER, or of the current user (the host's).

  -g, --group    print only the group id
  -G, --groups   print all group ids
  -n, --name     print names instead of numbers (with -u, -g or -G)
  -r, --real     print the real id instead of the effective one
  -u, --user     print only the user id
  -z, --zero     end each entry with NUL (not in the default format)

-Z (security context) is not supported by Mirage.
"#,
    ),
    (
        "install",
        r#"Usage: install [OPTION]... SOURCE DEST
  or:  install [OPTION]... SOURCE... DIRECTORY
  or:  install [OPTION]... -t DIRECTORY SOURCE...
  or:  install [OPTION]... -d DIRECTORY...
Copy SOURCE files to DEST or into DIRECTORY, setting their mode, or create
the DIRECTORY operands (with -d) and their parents.

  -c                          ignored
  -d, --directory             create the directories named by the operands
  -D                          create the parents of DEST (or of -t's
                                directory) first
  -m, --mode=MODE             set the mode (octal or symbolic) instead of 0755
  -t, --target-directory=DIR  copy all SOURCE operands into DIR
  -T, --no-target-directory   treat DEST as a normal file
  -v, --verbose               print each directory made and file copied
  -o, --owner=OWNER           accepted when OWNER is the user Mirage runs as
  -g, --group=GROUP           accepted when GROUP is that user's group

Every file belongs to that user and group. -b, -C, -p, -s, -S, -Z and other
owners are not supported by Mirage.
"#,
    ),
    (
        "join",
        r#"Usage: join [OPTION]... FILE1 FILE2
For each pair of lines of the sorted FILE1 and FILE2 with equal join fields,
print one line made of the join field and the other fields of both.

  -a FILENUM        also print unpaired lines of file FILENUM (1 or 2)
  -e EMPTY          write EMPTY in place of missing fields
  -i, --ignore-case compare join fields regardless of case
  -j FIELD          join on field FIELD of both files
  -1 FIELD, -2 FIELD  join on this field of file 1 / file 2
  -o FORMAT         build output lines from FORMAT (such as 0,1.2,2.3 or auto)
  -t CHAR           fields are separated by CHAR
  -v FILENUM        print only the unpaired lines of file FILENUM
      --check-order    fail if an input is not sorted
      --nocheck-order  never complain about unsorted input
      --header         join the first lines as a heading, whatever their keys

-z is not supported by Mirage.
"#,
    ),
    (
        "jq",
        r#"Usage: jq [OPTION]... FILTER [FILE]...
Run the jq FILTER over the JSON values read from the FILEs (or standard input).

  -r, --raw-output      print strings without JSON quotes
  -j, --join-output     like -r, and print no newline after each value
  -c, --compact-output  print each value on one line
  -a, --ascii-output    escape non-ASCII characters
  -S, --sort-keys       sort object keys in the output
  -n, --null-input      run the filter once with null as input
  -R, --raw-input       read each line as a string instead of JSON
  -s, --slurp           read all inputs into one array
  -e, --exit-status     set the exit status from the last output value
  -f, --from-file FILE  read the filter from FILE
      --tab, --indent N  indent with a tab / with N spaces
      --arg NAME VALUE      bind $NAME to the string VALUE
      --argjson NAME JSON   bind $NAME to the JSON value
      --slurpfile / --rawfile NAME FILE  bind $NAME to a file's values / text
      --args, --jsonargs    take the remaining operands as $ARGS.positional

-C, -L and -h are not supported by Mirage.
"#,
    ),
    (
        "ln",
        r#"Usage: ln -s [OPTION]... TARGET LINK_NAME
  or:  ln -s [OPTION]... TARGET... DIRECTORY
  or:  ln -s [OPTION]... -t DIRECTORY TARGET...
Make a symbolic link named LINK_NAME pointing to TARGET, or links in
DIRECTORY to each TARGET. Links are kept by Mirage's workspace, so they work
on every mount.

  -s, --symbolic                make symbolic links (required: Mirage does
                                  not make hard links)
  -f, --force                   replace existing destination files
  -n, --no-dereference          treat a LINK_NAME that is a link to a
                                  directory as a plain file
  -r, --relative                make the link text relative to the link
  -T, --no-target-directory     always treat LINK_NAME as a file name
  -t, --target-directory=DIR    make the links inside DIR
  -v, --verbose                 print the name of each link made

-b, -d, -F, -i and -S are not supported by Mirage.
"#,
    ),
    (
        "logname",
        r#"Usage: logname
Print the user's login name. Commands in Mirage have no login session, so
this always fails with "no login name".
"#,
    ),
    (
        "ls",
        r#"Usage: ls [OPTION]... [FILE]...
List the named files, or the contents of the named directories (the current
directory by default), sorted by name. Mirage prints names only.

  -a, --all              include entries whose name starts with .
  -A, --almost-all       like -a, but leave out . and ..
  -B, --ignore-backups   leave out names ending in ~
  -d, --directory        list directories themselves, not their contents
  -f                     do not sort, and include hidden entries
  -F, --classify[=WHEN]  append a type indicator (/ * @ | =) to names
  -p                     append / to directory names
  -I, --ignore=PATTERN   leave out names matching PATTERN (also --hide)
  -r, --reverse          reverse the sort order
  -R, --recursive        list subdirectories too
  -S, -t, -X, -U         sort by size / time / extension / not at all
      --sort=WORD        sort by none, size, time, version, extension, name
      --group-directories-first  list directories before files
  -1                     one name per line
  -w, --width=COLS       accepted; output is one name per line
  -q, --hide-control-chars  print ? for non-printable characters
      --zero             end each name with NUL

Long listing (-l, -g, -n, -o), -s, -i, -m, -x, -C and quoting styles are not
supported by Mirage.
"#,
    ),
    (
        "man",
        r#"Usage: man NAME...
Print the Mirage help text of the command NAME (the same as NAME --help).
"#,
    ),
    (
        "md5sum",
        r#"Usage: md5sum [OPTION]... [FILE]...
Print or check MD5 (128-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
      --tag            print BSD-style lines: MD5 (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

-z is not supported by Mirage.
"#,
    ),
    (
        "mkdir",
        r#"Usage: mkdir [OPTION]... DIRECTORY...
Create each DIRECTORY that does not exist yet.

  -p, --parents   create missing parent directories too; no error if it exists
  -v, --verbose   say which directories are created

-m (mode) and -Z are not supported by Mirage.
"#,
    ),
    (
        "mktemp",
        r#"Usage: mktemp [OPTION]... [TEMPLATE]
Create a file (or directory) with a new unique name and print that name.

  -d, --directory     create a directory instead of a file
  -u, --dry-run       only print a name; create nothing
  -q, --quiet         do not report failures to create
      --suffix=SUFF   add SUFF after the random part of TEMPLATE
  -p DIR, --tmpdir[=DIR]  put the name under DIR ($TMPDIR or /tmp by default)
  -t                  treat TEMPLATE as a single name under that directory

TEMPLATE must end in at least 3 X's, which are replaced by random characters;
the default is tmp.XXXXXXXXXX.
"#,
    ),
    (
        "mv",
        r#"Usage: mv [OPTION]... [-T] SOURCE DEST
  or:  mv [OPTION]... SOURCE... DIRECTORY
  or:  mv [OPTION]... -t DIRECTORY SOURCE...
Rename SOURCE to DEST, or move several SOURCEs into DIRECTORY.

  -f, --force                  overwrite without asking (undoes -n)
  -n, --no-clobber             never overwrite an existing file
  -t, --target-directory=DIRECTORY  move every SOURCE into DIRECTORY
  -T, --no-target-directory    treat DEST as a plain destination name
  -u, --update                 move only when SOURCE is newer than DEST
  -v, --verbose                say what is being moved

-i, -b, -S and -Z are not supported by Mirage.
"#,
    ),
    (
        "nl",
        r#"Usage: nl [OPTION]... [FILE]...
Print the FILEs with line numbers added.

  -b, --body-numbering=STYLE      which body lines get a number
  -h, --header-numbering=STYLE    which header lines get a number
  -f, --footer-numbering=STYLE    which footer lines get a number
  -i, --line-increment=NUMBER     step between line numbers
  -n, --number-format=FORMAT      ln (left), rn (right) or rz (zero-padded)
  -p, --no-renumber               keep counting across logical pages
  -s, --number-separator=STRING   put STRING after each number (tab by default)
  -v, --starting-line-number=NUMBER  the first line number
  -w, --number-width=NUMBER       numbers take NUMBER columns

STYLE is a (all lines), t (non-empty lines, the default for the body) or n
(none). The pBRE style, -l and -d are not supported by Mirage.
"#,
    ),
    (
        "nproc",
        r#"Usage: nproc [OPTION]...
Print the number of processing units available (the host's; OMP_NUM_THREADS
and OMP_THREAD_LIMIT are honoured).

      --all       print the number of installed processors
      --ignore=N  subtract N (never going below 1)
"#,
    ),
    (
        "numfmt",
        r#"Usage: numfmt [OPTION]... [NUMBER]...
Convert the NUMBERs (or the numbers read from standard input, one a line)
to or from human-readable sizes such as 1.5K or 3Mi.

      --from=UNIT       read numbers scaled by UNIT: none, auto, si, iec,
                          iec-i (default none)
      --to=UNIT         print numbers scaled by UNIT: none, si, iec, iec-i
      --suffix=SUFFIX   add SUFFIX to the output numbers
      --padding=N       right-align to N columns (left-align if negative)
      --field=N         convert field N of each input line (default 1)

Values are rounded away from zero. -d, -z, --format, --round, --grouping,
--header, --invalid and the unit options are not supported by Mirage.
"#,
    ),
    (
        "od",
        r#"Usage: od [OPTION]... [FILE]...
Dump the FILEs in octal and other formats.

  -A, --address-radix=RADIX  offsets: d (decimal), o (octal), x (hex), n (none)
  -j, --skip-bytes=BYTES     start after the first BYTES input bytes
  -N, --read-bytes=BYTES     dump at most BYTES input bytes
  -t, --format=TYPE          output type: a, c, dSIZE, oSIZE, uSIZE or xSIZE
  -v, --output-duplicates    do not collapse repeated lines into *
  -w, --width[=BYTES]        dump BYTES input bytes per line (32 if no value)

Shortcuts: -a = -t a, -b = -t o1, -c = -t c, -d = -t u2, -o = -t o2,
-s = -t d2, -x = -t x2, -i = -t dI, -l = -t dL.
Options not listed here are not supported by Mirage.
"#,
    ),
    (
        "paste",
        r#"Usage: paste [OPTION]... [FILE]...
Join corresponding lines of the FILEs side by side, separated by tabs.

  -d, --delimiters=LIST   use the characters of LIST in turn instead of tabs
  -s, --serial            join all the lines of one file before the next file

With no FILE, or when FILE is -, standard input is read. -z is not supported
by Mirage.
"#,
    ),
    (
        "printenv",
        r#"Usage: printenv [OPTION]... [VARIABLE]...
Print the values of the named environment VARIABLEs, or the whole environment.

  -0, --null   end each value with NUL, not newline
"#,
    ),
    (
        "printf",
        r#"Usage: printf FORMAT [ARGUMENT]...
Print the ARGUMENTs as FORMAT says, reusing FORMAT until all are consumed.

FORMAT understands backslash escapes (\n, \t, \\, \NNN, \xHH, \uHHHH) and the
conversions %s, %b, %q, %c, %d, %i, %o, %u, %x, %X, %e, %f, %g, %a and %%,
with optional flags, width and precision.

  -v VAR   assign the output to the shell variable VAR instead of printing it
"#,
    ),
    (
        "readlink",
        r#"Usage: readlink [OPTION]... FILE...
Print the target of each symbolic link FILE, or with -f/-e/-m its full
canonical name.

  -f, --canonicalize            follow every link; all but the last
                                  component must exist
  -e, --canonicalize-existing   follow every link; all components must
                                  exist
  -m, --canonicalize-missing    follow every link; no component has to
                                  exist
  -n, --no-newline              do not end the output with a newline
  -q, --quiet, -s, --silent     do not report errors
  -v, --verbose                 report errors
  -z, --zero                    end each name with NUL, not a newline
"#,
    ),
    (
        "realpath",
        r#"Usage: realpath [OPTION]... FILE...
Print the absolute, canonical path of each FILE.

  -e, --canonicalize-existing  every component must exist
  -m, --canonicalize-missing   no component needs to exist
  -L, --logical                handle .. before resolving symbolic links
  -P, --physical               resolve symbolic links as they come (default)
  -q, --quiet                  do not print most error messages
      --relative-to=DIR        print the path relative to DIR
      --relative-base=DIR      print relative paths only below DIR
  -s, --strip, --no-symlinks   leave symbolic links unresolved
  -z, --zero                   end each result with NUL, not newline
"#,
    ),
    (
        "rev",
        r#"Usage: rev [FILE]...
Print each line of the FILEs with its characters in reverse order.
"#,
    ),
    (
        "rg",
        r#"Usage: rg [OPTIONS] PATTERN [PATH ...]
  or:  rg [OPTIONS] -e PATTERN ... [PATH ...]
  or:  rg [OPTIONS] --files [PATH ...]
Search the files under each PATH (default: the current directory) for lines
matching the regular expression PATTERN, honouring ignore files and skipping
hidden files. Output is as ripgrep prints it to a pipe: file name on each
line, no line numbers, no colour.

  -e, --regexp=PATTERN        search for PATTERN (may be repeated)
  -f, --file=PATTERNFILE      read patterns from a file, one a line
  -i, --ignore-case           match without regard to case
  -S, --smart-case            ignore case unless PATTERN has upper case
  -s, --case-sensitive        match case exactly (the default)
  -F, --fixed-strings         PATTERN is a plain string
  -w, --word-regexp           match whole words only
  -x, --line-regexp           match whole lines only
  -v, --invert-match          print the lines that do not match
  -n, --line-number           print line numbers
  -N, --no-line-number        do not print line numbers
  -H, --with-filename         print the file name for each match
  -I, --no-filename           never print file names
  -c, --count                 print the number of matching lines per file
      --count-matches         print the number of matches per file
  -l, --files-with-matches    print only the names of files with a match
      --files-without-match   print only the names of files without one
  -o, --only-matching         print only the matched parts
  -r, --replace=TEXT          print TEXT in place of each match
  -A, -B, -C NUM              print NUM lines of context after, before,
                                around each match
  -m, --max-count=NUM         stop a file after NUM matching lines
  -g, --glob=GLOB             only search files matching GLOB (!GLOB
                                excludes); --iglob ignores case
  -t, --type=TYPE             only search files of TYPE; -T excludes it
      --hidden                also search hidden files and directories
      --no-ignore             do not read ignore files
  -u, --unrestricted          -u: --no-ignore, -uu: also --hidden
      --max-depth=NUM         descend at most NUM directories
      --files                 list the files that would be searched
      --heading, --no-heading group matches under file names, or not
      --vimgrep               print file:line:column:text for each match
      --column                print column numbers
      --null                  end file names with NUL
      --sort=path             accepted; files are always in path order
  -a, --text                  search binary files as text
  -q, --quiet                 print nothing; the status tells

Other options are refused by Mirage.
"#,
    ),
    (
        "rm",
        r#"Usage: rm [OPTION]... [FILE]...
Remove each FILE.

  -f, --force             ignore missing files; never fail for them
  -d, --dir               also remove empty directories
  -r, -R, --recursive     remove directories and everything inside them
  -v, --verbose           say what is being removed
      --no-preserve-root  allow removing /
      --preserve-root[=all]  refuse to remove / (the default)

Prompting (-i, -I, --interactive other than never) and --one-file-system are
not supported by Mirage.
"#,
    ),
    (
        "rmdir",
        r#"Usage: rmdir [OPTION]... DIRECTORY...
Remove each DIRECTORY if it is empty.

  -p, --parents   then remove its parent directories that became empty
  -v, --verbose   say which directories are removed
"#,
    ),
    (
        "sed",
        r#"Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...
Edit a stream: apply the sed script to each input line and print the result.

  -n, --quiet, --silent    print only what the script prints explicitly
  -e, --expression=SCRIPT  add SCRIPT to the commands to run
  -f, --file=FILE          add the contents of FILE to the commands to run
  -i, --in-place           write the result back into each file (no backup)
  -E, -r, --regexp-extended  use extended regular expressions
  -s, --separate           treat the files as separate streams
  -z, --null-data          lines end with NUL, not newline
  -l, --line-length=N      wrap width for the l command
  -u, --unbuffered         accepted; has no effect
      --posix              accepted; has no effect

A backup suffix for -i, --debug, --sandbox and --follow-symlinks are not
supported by Mirage.
"#,
    ),
    (
        "seq",
        r#"Usage: seq [OPTION]... LAST
  or:  seq [OPTION]... FIRST LAST
  or:  seq [OPTION]... FIRST INCREMENT LAST
Print the numbers from FIRST (default 1) to LAST, stepping by INCREMENT
(default 1).

  -f, --format=FORMAT      print each number with the printf-style FORMAT
  -s, --separator=STRING   put STRING between numbers (newline by default)
  -w, --equal-width        pad with leading zeros to a common width
"#,
    ),
    (
        "sh",
        r#"Usage: sh [-c COMMAND [NAME [ARG...]]] [SCRIPT [ARG...]]
Run a Mirage shell (the same interpreter as bash; there is no separate POSIX
sh): in a child state with its own variables and positional parameters.

  -c COMMAND   run COMMAND; NAME becomes $0 and the ARGs $1, $2, ...
  SCRIPT       run the script stored at that path (on any mount)
"#,
    ),
    (
        "sha1sum",
        r#"Usage: sha1sum [OPTION]... [FILE]...
Print or check SHA1 (160-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
      --tag            print BSD-style lines: SHA1 (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

-z is not supported by Mirage.
"#,
    ),
    (
        "sha224sum",
        r#"Usage: sha224sum [OPTION]... [FILE]...
Print or check SHA224 (224-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
      --tag            print BSD-style lines: SHA224 (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

-z is not supported by Mirage.
"#,
    ),
    (
        "sha256sum",
        r#"Usage: sha256sum [OPTION]... [FILE]...
Print or check SHA256 (256-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
      --tag            print BSD-style lines: SHA256 (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

-z is not supported by Mirage.
"#,
    ),
    (
        "sha384sum",
        r#"Usage: sha384sum [OPTION]... [FILE]...
Print or check SHA384 (384-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
      --tag            print BSD-style lines: SHA384 (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

-z is not supported by Mirage.
"#,
    ),
    (
        "sha512sum",
        r#"Usage: sha512sum [OPTION]... [FILE]...
Print or check SHA512 (512-bit) checksums.

  -b, --binary         mark the files as binary (no effect on the sum)
  -c, --check          read checksum lines from the FILEs and verify them
      --tag            print BSD-style lines: SHA512 (FILE) = SUM
  -t, --text           mark the files as text (the default)

When checking:
      --ignore-missing  do not fail for files that are missing
      --quiet           do not print OK for each verified file
      --status          print nothing; the exit status tells the result
      --strict          fail on badly formatted checksum lines
  -w, --warn            warn about badly formatted checksum lines

-z is not supported by Mirage.
"#,
    ),
    (
        "shuf",
        r#"Usage: shuf [OPTION]... [FILE]
  or:  shuf -e [OPTION]... [ARG]...
  or:  shuf -i LO-HI [OPTION]...
Print the lines of FILE (or standard input) in a random order.

  -e, --echo                shuffle the ARGs instead of input lines
  -i, --input-range=LO-HI   shuffle the numbers LO to HI
  -n, --head-count=COUNT    print at most COUNT lines
  -r, --repeat              draw lines with replacement (with -n, COUNT
                              draws; otherwise without end)

The order comes from the clock, or from the environment variable
MIRAGE_SHUF_SEED when set, so runs can be repeated, or from the bytes of
--random-source=FILE as GNU draws them.
  -o, --output=FILE         write the result to FILE (after reading the input)
  -z, --zero-terminated     items end with NUL, not newline
--random-source with -n on standard input is not supported by Mirage.
"#,
    ),
    (
        "sleep",
        r#"Usage: sleep NUMBER[SUFFIX]...
Wait for the sum of the given durations. SUFFIX is s (seconds, the default),
m (minutes), h (hours) or d (days); NUMBER may have a fraction.
"#,
    ),
    (
        "sort",
        r#"Usage: sort [OPTION]... [FILE]...
Print the lines of all the FILEs, sorted.

  -b, --ignore-leading-blanks  skip leading blanks in keys
  -d, --dictionary-order   compare only blanks and letters or digits
  -f, --ignore-case        fold lower case to upper case when comparing
  -g, --general-numeric-sort  compare as floating-point numbers
  -h, --human-numeric-sort compare sizes such as 2K and 1G
  -i, --ignore-nonprinting compare only printable characters
  -M, --month-sort         compare month names (JAN < ... < DEC)
  -n, --numeric-sort       compare as numbers
  -V, --version-sort       compare version numbers inside the text
      --sort=WORD          one of the above: general-numeric, human-numeric,
                             month, numeric, version
  -r, --reverse            reverse the result of comparisons
  -c, -C, --check[=quiet]  only check whether the input is already sorted
  -k, --key=KEYDEF         sort on the key KEYDEF (F[.C][OPTS][,F[.C][OPTS]])
  -m, --merge              merge inputs that are already sorted
  -o, --output=FILE        write the result to FILE
  -s, --stable             keep lines with equal keys in input order
  -t, --field-separator=SEP  fields are separated by SEP
  -u, --unique             print only the first of equal lines
  -z, --zero-terminated    lines end with NUL, not newline
  -S, -T, --parallel, --batch-size  accepted; have no effect

-R, --random-source, --files0-from, --compress-program and --debug are not
supported by Mirage.
"#,
    ),
    (
        "split",
        r#"Usage: split [OPTION]... [FILE [PREFIX]]
Write FILE (or standard input) in pieces to PREFIXaa, PREFIXab, ...
(PREFIX defaults to x).

  -l, --lines=NUMBER                put NUMBER lines in each piece (default
                                      1000)
  -b, --bytes=SIZE                  put SIZE bytes in each piece (SIZE may
                                      end in K, M, G or KB, MB, GB)
  -n, --number=N                    make N pieces of about the same size
  -a, --suffix-length=N             use suffixes N letters long (default 2)
  -d, --numeric-suffixes            use 00, 01, ... instead of aa, ab, ...
      --additional-suffix=SUFFIX    add SUFFIX to every piece name

Suffixes do not grow past their length as GNU's do. -C, -e, -t, -x,
--filter, --verbose and -n K/N forms are not supported by Mirage.
"#,
    ),
    (
        "stat",
        r#"Usage: stat [OPTION]... FILE...
Print information about each FILE in a chosen format.

  -c, --format=FORMAT   print FORMAT for each file, followed by a newline
      --printf=FORMAT   like --format, but with backslash escapes and no
                          newline added
  -L, --dereference     follow symbolic links

Common sequences: %n name, %s size, %F type, %a access rights in octal,
%A in ls form, %Y modification time (seconds), %y in human form.
The default format is not supported by Mirage: use -c or --printf.
"#,
    ),
    (
        "strings",
        r#"Usage: strings [OPTION]... [FILE]...
Print the runs of printable characters (at least 4 long) found in each FILE
(or standard input).

  -a, --all                 scan the whole file (always done)
  -n, --bytes=MIN, -MIN     print runs at least MIN characters long
  -t, --radix={o,d,x}       print each run's offset in octal, decimal or hex

-e, -f, -w, -s, -T and the other binutils options are not supported by
Mirage.
"#,
    ),
    (
        "tac",
        r#"Usage: tac [OPTION]... [FILE]...
Print the FILEs with their lines in reverse order, last line first.

  -b, --before             attach the separator before each record, not after
  -s, --separator=STRING   records are ended by STRING instead of newline

-r (regex separators) is not supported by Mirage.
"#,
    ),
    (
        "tail",
        r#"Usage: tail [OPTION]... [FILE]...
Print the end of each FILE (the last 10 lines unless told otherwise).

  -c, --bytes=[+]NUM       print the last NUM bytes; with +, start at byte NUM
  -n, --lines=[+]NUM       print the last NUM lines; with +, start at line NUM
  -q, --quiet, --silent    never print a header with the file name
  -v, --verbose            always print a header with the file name
  -z, --zero-terminated    lines end with NUL, not newline

NUM may end with a multiplier such as K, M, kB or MB.
Following files (-f, -F, --retry, --pid, ...) is not supported by Mirage.
"#,
    ),
    (
        "tar",
        r#"Usage: tar [OPTION...] [FILE]...
Create, list or extract tar archives. Old-style bundled options (tar czf
A.tgz DIR) are accepted.

  -c, --create           write a new archive of the FILEs
  -t, --list             list the names stored in the archive
  -x, --extract, --get   restore the files stored in the archive
  -f, --file=ARCHIVE     use ARCHIVE instead of standard input/output
  -C, --directory=DIR    change to DIR before the following operations
  -z, --gzip             compress or decompress the archive with gzip
  -v, --verbose          print the names of the files handled

The long listing of -tv and options not listed here are not supported by
Mirage.
"#,
    ),
    (
        "tee",
        r#"Usage: tee [OPTION]... [FILE]...
Copy standard input to standard output and to every FILE.

  -a, --append              add to the FILEs instead of overwriting them
  -i, --ignore-interrupts   accepted; has no effect

/dev/stdout and /dev/stderr name the command's own output streams.

-p and --output-error are not supported by Mirage.
"#,
    ),
    (
        "timeout",
        r#"Usage: timeout [OPTION] DURATION COMMAND [ARG]...
Run COMMAND, and stop it if it still runs after DURATION.

  -s, --signal=SIGNAL    the signal to stop it with (TERM by default)
  -k, --kill-after=DURATION  send KILL this long after the first signal
  -v, --verbose          report when the time limit stops the command
      --preserve-status  exit with the command's status even on timeout
      --foreground       accepted; has no effect

DURATION is a number with an optional suffix s, m, h or d. When the time runs
out, the exit status is 124.
"#,
    ),
    (
        "touch",
        r#"Usage: touch [OPTION]... FILE...
Set the access and modification times of each FILE to now, creating the FILEs
that do not exist.

  -a                     change only the access time
  -c, --no-create        do not create missing files
  -d, --date=STRING      use the time described by STRING instead of now
  -f                     accepted; has no effect
  -h, --no-dereference   change a symbolic link itself
  -m                     change only the modification time
  -r, --reference=FILE   use the times of FILE instead of now
  -t STAMP               use [[CC]YY]MMDDhhmm[.ss] instead of now
      --time=WORD        access/atime/use is -a; modify/mtime is -m
"#,
    ),
    (
        "tr",
        r#"Usage: tr [OPTION]... STRING1 [STRING2]
Copy standard input to standard output, translating, squeezing or deleting
characters.

  -c, -C, --complement     use the characters not in STRING1
  -d, --delete             delete the characters of STRING1
  -s, --squeeze-repeats    print a run of one repeated character of the last
                             given set as a single one
  -t, --truncate-set1      first shorten STRING1 to the length of STRING2

Sets may use ranges (a-z), escapes (\n, \NNN), classes ([:alpha:], [:digit:],
[:space:], ...), [c*n] repeats and [=c=].
"#,
    ),
    (
        "tree",
        r#"Usage: tree [-adfi] [-L level] [--noreport] [--] [directory ...]
Draw the contents of the directories (the current one by default) as a tree.

  -a           include hidden files
  -d           list directories only
  -f           print each entry with its full path
  -i           do not print the indentation lines
  -L level     descend at most level directories deep
  --noreport   leave out the closing count of directories and files

Options not listed here are not supported by Mirage.
"#,
    ),
    (
        "truncate",
        r#"Usage: truncate OPTION... FILE...
Shrink or grow each FILE to the given size; missing FILEs are created.

  -c, --no-create        do not create files that are missing
  -r, --reference=RFILE  use the size of RFILE
  -s, --size=SIZE        set (or, with a prefix, adjust) the size

SIZE is a number with an optional unit (K, M, G, ... or KB, MB, ...), and may
start with + (grow by), - (shrink by), < (at most), > (at least), / (round
down to a multiple) or % (round up to a multiple). -o is not supported by
Mirage.
"#,
    ),
    (
        "tsort",
        r#"Usage: tsort [FILE]
Read pairs of names from FILE (or standard input), each pair meaning the
first comes before the second, and print the names in an order that keeps
every pair; loops are reported on standard error.
"#,
    ),
    (
        "tty",
        r#"Usage: tty [OPTION]...
Print the file name of the terminal on standard input. Standard input is
never a terminal in Mirage: this prints "not a tty" and exits with 1.

  -s, --silent, --quiet   print nothing, only the exit status
"#,
    ),
    (
        "uname",
        r#"Usage: uname [OPTION]...
Print system information (the host's). With no OPTION, same as -s.

  -a, --all                print all information, except -p and -i when
                             they are unknown
  -s, --kernel-name        print the kernel name
  -n, --nodename           print the network node hostname
  -r, --kernel-release     print the kernel release
  -v, --kernel-version     print the kernel version
  -m, --machine            print the machine hardware name
  -p, --processor          print the processor type (unknown)
  -i, --hardware-platform  print the hardware platform (unknown)
  -o, --operating-system   print the operating system
"#,
    ),
    (
        "unexpand",
        r#"Usage: unexpand [OPTION]... [FILE]...
Turn blanks at the start of each line of the FILEs (or standard input) into
tabs.

  -a, --all          turn every run of two or more blanks into tabs
      --first-only   only leading blanks (undoes -a)
  -t, --tabs=N       tab stops every N columns instead of 8 (implies -a)
  -t, --tabs=LIST    tab stops at the columns in the comma-separated LIST
  -N                 same as -t N
"#,
    ),
    (
        "uniq",
        r#"Usage: uniq [OPTION]... [INPUT [OUTPUT]]
Merge runs of identical adjacent lines of INPUT into one, writing to OUTPUT.

  -c, --count            prefix lines with how many times they occurred
  -d, --repeated         print only lines that occur more than once, once each
  -D                     print every line of each repeated run
      --all-repeated[=METHOD]  like -D; METHOD none, prepend or separate
                               puts blank lines between runs
      --group[=METHOD]   print all lines, runs separated by blank lines;
                           METHOD is separate, prepend, append or both
  -f, --skip-fields=N    ignore the first N fields when comparing
  -i, --ignore-case      compare regardless of case
  -s, --skip-chars=N     ignore the first N characters when comparing
  -u, --unique           print only lines that are not repeated
  -w, --check-chars=N    compare at most N characters
  -z, --zero-terminated  lines end with NUL, not newline
"#,
    ),
    (
        "unix2dos",
        r#"Usage: unix2dos [OPTION]... [FILE]... [-n INFILE OUTFILE]...
Convert Unix line breaks (LF) to DOS ones (CR LF) in each FILE, in place.
Existing CR LF pairs are kept, as is a byte order mark. With no FILE,
convert standard input to standard output.

  -n, --newfile      convert INFILE into OUTFILE (pairs follow)
  -o, --oldfile      convert the following FILEs in place (the default)
  -q, --quiet        print no messages, and exit 0 for missing files
  -f, --force        convert binary files too
  -s, --safe         skip binary files (the default)
  -b, --keep-bom     keep a byte order mark (the default)
  -r, --remove-bom   remove a byte order mark

A file holding a control character other than TAB, LF, CR or FF is binary
and skipped. Options apply to the FILEs after them. Code pages, -k, -v, -l,
-m, -i, -c and the UTF-16 options are not supported by Mirage.
"#,
    ),
    (
        "unzip",
        r#"Usage: unzip [OPTION]... ARCHIVE[.zip] [MEMBER]...
List, test or extract the files of a zip archive (all of them, or the
MEMBERs named).

  -l          list the members with their sizes and dates
  -p          write the members' contents to standard output
  -t          check the members' checksums
  -o          overwrite existing files without asking
  -n          never overwrite existing files
  -q          print less (-qq: nothing)
  -j          leave out the directories of member names
  -d DIR      extract into DIR (made if needed)
  -Z ARGS     ZipInfo mode: the rest is a zipinfo command line (-Z1 = -Z -1)

Without -o or -n, an existing file stops the extraction, since Mirage has
no terminal to ask on. Encrypted members and the other options are not
supported by Mirage.
"#,
    ),
    (
        "wc",
        r#"Usage: wc [OPTION]... [FILE]...
Count the newlines, words and bytes of each FILE, with a total for several.

  -c, --bytes            print the byte counts
  -m, --chars            print the character counts
  -l, --lines            print the newline counts
  -L, --max-line-length  print the width of the widest line
  -w, --words            print the word counts

With no option, -l, -w and -c are shown. --files0-from is not supported by
Mirage.
"#,
    ),
    (
        "which",
        r#"Usage: which NAME...
Print the path of each command NAME. Mirage's commands all live in /usr/bin;
shell builtins and functions are not found. Exit status is 1 if a NAME is
not found. Options are ignored.
"#,
    ),
    (
        "whoami",
        r#"Usage: whoami
Print the user name of the effective user id (the host's).
"#,
    ),
    (
        "xargs",
        r#"Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...
Run COMMAND with INITIAL-ARGS followed by arguments read from standard input.

  -0, --null                 items end with NUL; quotes are not special
  -a, --arg-file=FILE        read the items from FILE
  -d, --delimiter=CHARACTER  items end with CHARACTER; quotes are not special
  -E END, -e[END], --eof[=END]  stop reading at the item END
  -I R, -i[R], --replace[=R] run once per line, putting it in place of R ({})
  -L MAX, -l[MAX], --max-lines[=MAX]  use at most MAX input lines per run
  -n, --max-args=MAX         use at most MAX arguments per run
  -P, --max-procs=MAX        accepted; runs are made one at a time
  -r, --no-run-if-empty      do not run COMMAND when there is no input
  -s, --max-chars=MAX        limit the length of each command line
  -t, --verbose              print each command before running it
  -x, --exit                 stop if a command line would be too long

-o, -p, --show-limits and --process-slot-var are not supported by Mirage.
"#,
    ),
    (
        "xxd",
        r#"Usage: xxd [OPTION]... [FILE]
Show FILE (or standard input) as a hex dump with offsets and characters, or
turn a plain hex dump back into bytes.

  -c COLS      bytes per line (default 16)
  -g BYTES     bytes per group (default 2)
  -l LEN       stop after LEN bytes
  -s OFFSET    start at byte OFFSET
  -u           upper case hex digits
  -p           plain hex, no offsets or characters
  -r -p        read plain hex and write the bytes

Option values may be attached (-c8). An output file operand, -r without -p,
-i, -b, -e and -o are not supported by Mirage.
"#,
    ),
    (
        "yes",
        r#"Usage: yes [STRING]...
Print the STRINGs, separated by spaces, on a line again and again (y if none
is given), until killed or the reader goes away.
"#,
    ),
    (
        "zcat",
        r#"Usage: zcat [OPTION]... [FILE]...
Decompress each FILE to standard output (same as gzip -dc).

  -f, --force        copy data that is not compressed as it is
  -q, --quiet        do not print warnings
  -S, --suffix=SUF   also try FILE with SUF instead of .gz
  -t, --test         check that the compressed files are intact

With no FILE, or when FILE is -, standard input is read.
"#,
    ),
    (
        "zgrep",
        r#"Usage: zgrep [OPTION]... PATTERN [FILE]...
Search FILEs that may be gzip-compressed (plain files are read as they are)
for lines matching PATTERN, as grep does on their decompressed text. With
several FILEs, each line starts with its file name.

Accepts grep's options (see grep --help), such as -i, -v, -c, -l, -L, -n,
-h, -H, -w, -x, -E, -F, -e PATTERN, -o and -A/-B/-C NUM. As in gzip's zgrep
script, -r, -R, -d, -z, -Z, -f, -D, -U, -T and -V are not supported.
"#,
    ),
    (
        "zip",
        r#"Usage: zip [OPTION]... ZIPFILE FILE...
Add the FILEs to the zip archive ZIPFILE (made if missing, else updated),
or remove members from it.

  -r     go into directories and add everything below them
  -j     store just the file names, without their directories
  -d     delete the named members from ZIPFILE
  -q     print nothing on success
  -0     store the files uncompressed
  -1..-9 compress faster (-1) to better (-9); the default is -6

A name already in ZIPFILE is replaced ("updating:"). Compressed bytes may
differ from Info-ZIP's. Other options (-u, -m, -x, -e, ...) are not supported
by Mirage.
"#,
    ),
    (
        "zipinfo",
        r#"Usage: zipinfo [-1smlht] ZIPFILE [MEMBER]... [-x XMEMBER...]
List the members of the zip archive ZIPFILE (tried as ZIPFILE, ZIPFILE.zip
and ZIPFILE.ZIP) in Info-ZIP's ls -l like formats.

  -1   print the member names only, one per line
  -s   short listing: mode, version, size, type, method, date (the default)
  -m   medium listing: adds the compression percentage
  -l   long listing: adds the compressed size
  -h   print the header (archive name, size, number of entries)
  -t   print the totals line
  -x   exclude the members that follow (wildcards *, ? and [...] allowed)

MEMBERs may use the same wildcards. Errors are printed on standard output, as
zipinfo does: status 9 for an unreadable archive, 11 when nothing matched.
-2, -v, -T, -z, -C, -M, ZIP64 archives and archives made on other systems
than Unix are not supported by Mirage.
"#,
    ),
];
